// VG-BERT bilinear relation operator (spec 4.3): scores[b,k,i,j] = z_bi . M_k . z_bj for objects
// z [B,O,S] and (already normalised) relations M [K,S,S]; O, S <= 64 (the paper: O = S = 32,
// K = 115). Everything is fp32 FFMA (no TF32), fixed summation order, no atomics: deterministic.
//
// Shared-memory matrices are stored row-major with an odd leading dimension (ld = n | 1), so a
// warp walking down a column hits 32 different banks; walks along a row are consecutive or
// broadcast. Dynamic shared memory, sized by the host from O and S; above 48 KB (O or S near 64)
// the host raises the kernel's dynamic-shared limit (opt-in, up to 66.5 KB here).
//
// gw_bilinear_fwd: grid (K, B), block 256. Loads z_b (O x S) and M_k (S x S), computes
//   Y = z_b M_k (O x S) into shared memory, then scores = Y z_b^T (O x O) written coalesced.
//   Shared: (2*O + S) * (S|1) floats (48.8 KB at O = S = 64, 12.7 KB at 32). z M_k never leaves
//   the chip. Bound: the score writes (B*K*O^2 floats) at the paper's sizes; 2*O*S*(S+O) flops.
// gw_bilinear_bwd_objects: dz_b = sum_k G_bk (z_b M_k^T) + G_bk^T (z_b M_k)
//                               = sum_k (G_bk z_b) M_k^T + (G_bk^T z_b) M_k.
//   Grid (B, KC), block 256: block (b, kc) loops over the k of chunk kc (kPer of them). Per k:
//   G_bk -> A, then H1 = G z, H2 = G^T z (O x S each), then M_k -> A (G is dead), then
//   acc += H1 M^T + H2 M. Each thread owns up to 16 (i,s) elements of dz in registers
//   (O*S <= 4096 = 16 * 256). Writes out[(kc*B + b)] (the result when KC = 1, else a partial that
//   gw_bilinear_sum_partials adds up in chunk order). Shared: 3*O*(S|1) + max(O*(O|1), S*(S|1))
//   floats (66.5 KB at 64, 16.9 KB at 32).
// gw_bilinear_bwd_relations: dM_k = sum_b z_b^T G_bk z_b = sum_b z_b^T H,  H = G_bk z_b.
//   Grid (K, BC), block 256: block (k, bc) loops over the b of chunk bc; per b: z_b -> Z,
//   G_bk -> A, H -> shared, acc[s,u] += sum_i Z[i,s] H[i,u] with up to 16 (s,u) per thread in
//   registers. Shared: O*(S|1) + O*(O|1) + O*(S|1) floats (49.9 KB at 64, 12.7 KB at 32).
// The chunk counts KC, BC are chosen by the host to give a few blocks per SM even for small B or K.
// gw_bilinear_sum_partials: out[e] = sum_c partial[c*n + e], grid-stride.
#include "common.cuh"
#include "bilinear_tiles.cuh"

// dst (rows x cols, leading dim ld) <- src (rows x cols, dense row-major).
__device__ __forceinline__ void br_load(float* dst, int ld, const float* __restrict__ src, int rows, int cols) {
  const int n = rows * cols;
  for (int e = threadIdx.x; e < n; e += blockDim.x) {
    int r = e / cols, c = e - r * cols;
    dst[r * ld + c] = src[e];
  }
}

extern "C" __global__ void __launch_bounds__(BR_THREADS)
gw_bilinear_fwd(const float* __restrict__ z, const float* __restrict__ M, int B, int K, int O, int S,
                float* __restrict__ scores) {
  GW_DYNAMIC_SHARED(float, sm);
  const int k = blockIdx.x, b = blockIdx.y;
  const int ldS = S | 1;
  float* Z = sm;                  // O x ldS
  float* Mk = Z + O * ldS;        // S x ldS
  float* Y = Mk + S * ldS;        // O x ldS
  br_load(Z, ldS, z + (long long)b * O * S, O, S);
  br_load(Mk, ldS, M + (long long)k * S * S, S, S);
  __syncthreads();
  const int nY = O * S;
  for (int e = threadIdx.x; e < nY; e += blockDim.x) {
    int i = e / S, u = e - i * S;
    const float* zi = Z + i * ldS;
    float a = 0.f;
    for (int s = 0; s < S; s++) a = fmaf(zi[s], Mk[s * ldS + u], a);
    Y[i * ldS + u] = a;
  }
  __syncthreads();
  float* out = scores + ((long long)b * K + k) * O * O;
  const int nO = O * O;
  for (int e = threadIdx.x; e < nO; e += blockDim.x) {
    int i = e / O, j = e - i * O;
    const float* yi = Y + i * ldS;
    const float* zj = Z + j * ldS;
    float a = 0.f;
    for (int u = 0; u < S; u++) a = fmaf(yi[u], zj[u], a);
    out[e] = a;
  }
}

extern "C" __global__ void __launch_bounds__(BR_THREADS)
gw_bilinear_bwd_objects(const float* __restrict__ z, const float* __restrict__ M, const float* __restrict__ G,
                        int B, int K, int O, int S, int kPer, float* __restrict__ out) {
  GW_DYNAMIC_SHARED(float, sm);
  const int b = blockIdx.x, kc = blockIdx.y;
  const int ldS = S | 1, ldO = O | 1;
  const int aSize = max(O * ldO, S * ldS);
  float* Z = sm;                  // O x ldS: z_b
  float* A = Z + O * ldS;         // G_bk (O x ldO), then M_k (S x ldS)
  float* H1 = A + aSize;          // O x ldS: G z
  float* H2 = H1 + O * ldS;       // O x ldS: G^T z
  const int tid = threadIdx.x;
  const int n = O * S;
  br_load(Z, ldS, z + (long long)b * O * S, O, S);
  float acc[BR_PER];
#pragma unroll
  for (int q = 0; q < BR_PER; q++) acc[q] = 0.f;
  const int k0 = kc * kPer, k1 = min(K, k0 + kPer);
  for (int k = k0; k < k1; k++) {
    __syncthreads();   // Z loaded; the previous k is done with A, H1, H2
    br_load(A, ldO, G + ((long long)b * K + k) * O * O, O, O);
    __syncthreads();
    for (int e = tid; e < n; e += blockDim.x) {
      int i = e / S, u = e - i * S;
      float h1 = 0.f, h2 = 0.f;
      for (int j = 0; j < O; j++) {
        float zj = Z[j * ldS + u];
        h1 = fmaf(A[i * ldO + j], zj, h1);
        h2 = fmaf(A[j * ldO + i], zj, h2);
      }
      H1[i * ldS + u] = h1;
      H2[i * ldS + u] = h2;
    }
    __syncthreads();   // G is dead
    br_load(A, ldS, M + (long long)k * S * S, S, S);
    __syncthreads();
#pragma unroll
    for (int q = 0; q < BR_PER; q++) {
      int e = tid + q * BR_THREADS;
      if (e < n) {
        int i = e / S, s = e - i * S;
        const float* h1 = H1 + i * ldS;
        const float* h2 = H2 + i * ldS;
        float a = acc[q];
        for (int u = 0; u < S; u++) {
          a = fmaf(h1[u], A[s * ldS + u], a);   // (G z M^T)[i,s]
          a = fmaf(h2[u], A[u * ldS + s], a);   // (G^T z M)[i,s]
        }
        acc[q] = a;
      }
    }
  }
  float* o = out + ((long long)kc * B + b) * n;
#pragma unroll
  for (int q = 0; q < BR_PER; q++) {
    int e = tid + q * BR_THREADS;
    if (e < n) o[e] = acc[q];
  }
}

extern "C" __global__ void __launch_bounds__(BR_THREADS)
gw_bilinear_bwd_relations(const float* __restrict__ z, const float* __restrict__ G, int B, int K, int O, int S, int bPer,
                          float* __restrict__ out) {
  GW_DYNAMIC_SHARED(float, sm);
  const int k = blockIdx.x, bc = blockIdx.y;
  const int ldS = S | 1, ldO = O | 1;
  float* Z = sm;                  // O x ldS: z_b
  float* A = Z + O * ldS;         // O x ldO: G_bk
  float* H = A + O * ldO;         // O x ldS: G z
  const int tid = threadIdx.x;
  const int nH = O * S, n = S * S;
  float acc[BR_PER];
#pragma unroll
  for (int q = 0; q < BR_PER; q++) acc[q] = 0.f;
  const int b0 = bc * bPer, b1 = min(B, b0 + bPer);
  for (int b = b0; b < b1; b++) {
    __syncthreads();   // the previous b is done with Z, A, H
    br_load(Z, ldS, z + (long long)b * O * S, O, S);
    br_load(A, ldO, G + ((long long)b * K + k) * O * O, O, O);
    __syncthreads();
    for (int e = tid; e < nH; e += blockDim.x) {
      int i = e / S, u = e - i * S;
      const float* gi = A + i * ldO;
      float h = 0.f;
      for (int j = 0; j < O; j++) h = fmaf(gi[j], Z[j * ldS + u], h);
      H[i * ldS + u] = h;
    }
    __syncthreads();
#pragma unroll
    for (int q = 0; q < BR_PER; q++) {
      int e = tid + q * BR_THREADS;
      if (e < n) {
        int s = e / S, u = e - s * S;
        float a = acc[q];
        for (int i = 0; i < O; i++) a = fmaf(Z[i * ldS + s], H[i * ldS + u], a);
        acc[q] = a;
      }
    }
  }
  float* o = out + ((long long)bc * K + k) * n;
#pragma unroll
  for (int q = 0; q < BR_PER; q++) {
    int e = tid + q * BR_THREADS;
    if (e < n) o[e] = acc[q];
  }
}

extern "C" __global__ void gw_bilinear_sum_partials(const float* __restrict__ partial, int chunks, long long n,
                                                    float* __restrict__ out) {
  GW_GRID_STRIDE(e, n) {
    float s = 0.f;
    for (int c = 0; c < chunks; c++) s += partial[(long long)c * n + e];
    out[e] = s;
  }
}

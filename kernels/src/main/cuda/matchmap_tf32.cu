// VG-BERT matchmap max (spec 3.2) on tensor cores, TF32: the same output as matchmap.cu's
// gw_matchmap_max (S[i,r] = max_p <image_i[:,p], language row r>, with the first maximising p),
// for the backend's TF32 mode (CudaBackend.tf32(), on by default, as its GEMMs). The rest of the
// loss (row compaction, mean, both backward kernels) is matchmap.cu's.
//
// Inputs are rounded to tf32 (cvt.rna: 10 mantissa bits) as they are staged in shared memory; the
// products are exact and accumulate in fp32 on mma.m16n8k8. Against the fp32 kernel the maxima move
// by about 2^-11 relative, and a near-tie between two cells can pick the other one.
//
// Launch: grid (ceil(R/64), B) as gw_matchmap_max, 128 threads = 4 warps as 2 x 2: warp (wr, wc)
// owns kept rows wr*32 .. +32 (two m16 tiles) and cells wc*32 .. +32 (four n8 tiles) of the block's
// 64 x 64 tile. The block sweeps P in tiles of 64 cells and, for each, D in stages of 32: language
// rows -> As[64][36] (rows x depth; ldmatrix.x4 gives the A fragments, 32-bit elements as pairs of
// b16), image_i[d, p] -> Bs[32][72] (depth x cells; B fragments by conflict-free 32-bit loads).
// Plain coalesced global loads, converted to tf32 on the way into shared memory (18.4 KB static).
// After each cell tile every thread folds its 2 x 4 fragments into 4 running (max, argmax) pairs;
// at the end the 4 lanes of a row and then the two cell warps merge them (ties -> smaller p).
// Bound: mma issue and the shared-memory operand loads (per 8-deep k-step a warp issues 2 ldmatrix
// and 8 LDS.32 for 8 mma); 2·B·R'·P'·D tensor-core flops with P' = P rounded up to 64.
// Not yet run on a GPU: checked on the CPU by kernels/src/test/emu against a reference on
// tf32-rounded inputs.
#include "common.cuh"
#include "tensor_core.cuh"
#include "matchmap_tiles.cuh"

#define MMT_LDA (MMT_DK + 4)  // shared row strides, padded against bank conflicts
#define MMT_LDB (MMT_PT + 8)

// Grid (ceil(R/64), B), block 128. image [B,D,P], language [B*T, D] (rows by rowmap), smax/sarg [B, rcap].
extern "C" __global__ void __launch_bounds__(MMT_THREADS)
gw_matchmap_max_tf32(const float* __restrict__ image, const float* __restrict__ language, const int* __restrict__ rowmap,
                     const int* __restrict__ offsets, int B, int D, int P, int rcap, float* __restrict__ smax,
                     int* __restrict__ sarg) {
  __shared__ __align__(16) uint32_t As[MMT_RT * MMT_LDA];
  __shared__ __align__(16) uint32_t Bs[MMT_DK * MMT_LDB];
  __shared__ int rowsrc[MMT_RT];
  __shared__ float xbest[2][32];  // the wc = 1 warps' results per row of their 32, merged by wc = 0
  __shared__ int xarg[2][32];
  const int nrows = offsets[B];
  const int r0 = blockIdx.x * MMT_RT;
  if (r0 >= nrows) return;
  const int i = blockIdx.y;
  const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, g = lane >> 2, t = lane & 3;
  const int wr = warp >> 1, wc = warp & 1, mi = lane >> 3, mr = lane & 7;
  if (tid < MMT_RT) rowsrc[tid] = r0 + tid < nrows ? rowmap[r0 + tid] : -1;
  __syncthreads();
  const float* img = image + (long long)i * D * P;

  // Running (max, argmax) of rows wr*32 + mt*16 + g + h*8, indexed mt*2 + h.
  float best[4];
  int arg[4];
#pragma unroll
  for (int q = 0; q < 4; q++) { best[q] = -INFINITY; arg[q] = 0; }

  for (int p0 = 0; p0 < P; p0 += MMT_PT) {
    float acc[2][4][4];
#pragma unroll
    for (int a = 0; a < 2; a++)
#pragma unroll
      for (int n = 0; n < 4; n++) acc[a][n][0] = acc[a][n][1] = acc[a][n][2] = acc[a][n][3] = 0.f;

    for (int d0 = 0; d0 < D; d0 += MMT_DK) {
      // language: 64 rows x 32 depth, consecutive threads along d; image: 32 depth x 64 cells along p.
#pragma unroll 4
      for (int e = tid; e < MMT_RT * MMT_DK; e += MMT_THREADS) {
        int r = e / MMT_DK, k = e - r * MMT_DK;
        int src = rowsrc[r], d = d0 + k;
        As[r * MMT_LDA + k] = gw_tf32((src >= 0 && d < D) ? language[(long long)src * D + d] : 0.f);
      }
#pragma unroll 4
      for (int e = tid; e < MMT_DK * MMT_PT; e += MMT_THREADS) {
        int k = e / MMT_PT, p = e - k * MMT_PT;
        int d = d0 + k, pp = p0 + p;
        Bs[k * MMT_LDB + p] = gw_tf32((d < D && pp < P) ? img[(long long)d * P + pp] : 0.f);
      }
      __syncthreads();
#pragma unroll
      for (int ks = 0; ks < MMT_DK / 8; ks++) {
        uint32_t a[2][4];
#pragma unroll
        for (int mt = 0; mt < 2; mt++)  // matrices: rows +0..7 | +8..15 at depth +0..3, then the same at +4..7
          gw_ldmatrix_x4(a[mt], As + (wr * 32 + mt * 16 + (mi & 1) * 8 + mr) * MMT_LDA + ks * 8 + (mi >> 1) * 4);
#pragma unroll
        for (int n = 0; n < 4; n++) {
          int cell = wc * 32 + n * 8 + g;
          uint32_t b0 = Bs[(ks * 8 + t) * MMT_LDB + cell], b1 = Bs[(ks * 8 + t + 4) * MMT_LDB + cell];
          gw_mma_tf32_1688(acc[0][n], a[0], b0, b1);
          gw_mma_tf32_1688(acc[1][n], a[1], b0, b1);
        }
      }
      __syncthreads();
    }
    // Fold the tile into the running max; a thread's cells ascend (p0, n, c & 1), so '>' keeps the first.
#pragma unroll
    for (int mt = 0; mt < 2; mt++)
#pragma unroll
      for (int n = 0; n < 4; n++)
#pragma unroll
        for (int c = 0; c < 4; c++) {
          int p = p0 + wc * 32 + n * 8 + 2 * t + (c & 1), q = mt * 2 + (c >> 1);
          if (p < P && acc[mt][n][c] > best[q]) { best[q] = acc[mt][n][c]; arg[q] = p; }
        }
  }

  // Merge the 4 lanes of each row (xor 1, 2), then the two cell halves through shared memory.
#pragma unroll
  for (int q = 0; q < 4; q++) {
#pragma unroll
    for (int o = 1; o <= 2; o <<= 1) {
      float ov = __shfl_xor_sync(0xffffffffu, best[q], o);
      int oa = __shfl_xor_sync(0xffffffffu, arg[q], o);
      if (ov > best[q] || (ov == best[q] && oa < arg[q])) { best[q] = ov; arg[q] = oa; }
    }
  }
  const int slot = g * 4;  // the 4 rows of lane group g within the warp's 32
  if (wc == 1 && t == 0)
#pragma unroll
    for (int q = 0; q < 4; q++) { xbest[wr][slot + q] = best[q]; xarg[wr][slot + q] = arg[q]; }
  __syncthreads();
  if (wc == 0 && t == 0) {
#pragma unroll
    for (int q = 0; q < 4; q++) {
      float ov = xbest[wr][slot + q];
      int oa = xarg[wr][slot + q];
      if (ov > best[q] || (ov == best[q] && oa < arg[q])) { best[q] = ov; arg[q] = oa; }
      int r = r0 + wr * 32 + (q >> 1) * 16 + g + (q & 1) * 8;
      if (r < nrows) {
        smax[(long long)i * rcap + r] = best[q];
        sarg[(long long)i * rcap + r] = arg[q];
      }
    }
  }
}

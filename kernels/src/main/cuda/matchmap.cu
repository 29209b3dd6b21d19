// VG-BERT matchmap similarity (spec 3.2), forward and backward, without the B x B x T x P matchmap.
//
//   S[i,c,t]  = max_p <image_i[:,p], language_c[t]>          (kept with its argmax p*, int32)
//   sim[i,c]  = (1/n_c) sum_{t < n_c} S[i,c,t],  n_c = max(1, min(nwords_c, T))
//
// Row compaction. Only the kept (c,t) rows are ever computed: gw_matchmap_rows (one block) turns
// nwords into offsets[c] (prefix sums of n_c, offsets[B] = the kept-row count R') and rowmap[r] =
// c*T + t for the r-th kept row. R' stays on the device; later grids are sized for the upper bound
// R = B*T and their surplus blocks return at once. Per-row state is S and p* for each (i, r):
// [B, R] floats + [B, R] ints, i.e. O(B^2 T) memory (rows r >= R' unused).
//
// gw_matchmap_max: a GEMM whose epilogue is a running max/argmax over the columns. Block = one
//   image i (blockIdx.y) x one tile of 64 kept rows (blockIdx.x); 256 threads as 16 x 16, each
//   owning a 4x4 micro-tile (4 consecutive rows, 4 consecutive cells). The block sweeps the P cells
//   in tiles of 64 and, for each, the depth D in stages of 16: language rows -> As[16][68] (padded
//   so each thread's 4 rows are one aligned float4), image_i[d, p] -> Bs[16][64]; both read with
//   float4 shared loads, 16 fp32 FMAs per 2 LDS.128 (plain FFMA, no TF32). 8.5 KB static shared
//   memory. After each cell tile the thread folds its 4x4 into 4 running (max, argmax) pairs; at the
//   end the 16 lanes sharing a row reduce with shuffles (ties -> the smaller p, as a first-index
//   max). Bound: fp32 FMA throughput (2 B^2 T' P D flops; T' = kept rows per caption), with image
//   tiles re-read from L2 once per 64-row tile.
// gw_matchmap_mean: sim from S, one thread per (i,c), t ascending (deterministic).
//
// Backward, given dsim [B,B]: dS[i,r] = dsim[i,c]/n_c for kept row r = (c,t). No atomics: both
// gradients are written by exactly one block per output element, summing in a fixed order, so the
// backward is deterministic.
// gw_matchmap_bwd_image: block per (cell p, image i), 256 threads. It scans argmax[i, 0..R') in
//   chunks of 256, compacts the rows whose winner is p with a warp ballot + prefix (order kept), and
//   accumulates dS * language_c[t] into a D-float shared accumulator (dynamic shared, 4*D bytes;
//   each thread owns d = tid mod 256). Writes dimage[i, :, p] once. Bound: the scan, B*P*R' int
//   reads from L2, plus B*R'*D language reads.
// gw_matchmap_bwd_language: block per kept row r (grid-stride), threads over d, loop over images i:
//   dlang[c,t,d] = sum_i dS[i,r] * imageT[i, p*(i,r), d]. imageT = image as [B,P,D] (a transposed copy
//   the host makes), so every read is a coalesced D-vector. Rows t >= n_c are zeroed by the host.
//   The copy is made for a chunk of images at a time (at most 16 MiB; launches accumulate in image
//   order): at B=180, P=196, D=768 a whole copy would be 108 MB, a third of the loss's peak memory.
#include "common.cuh"
#include "matchmap_tiles.cuh"

#define MM_AP (MM_RT + 4)  // As row stride: padded so each thread's 4 rows are one aligned float4

__device__ __forceinline__ int mm_words(const long long* nwords, int c, int T) {
  long long n = nwords[c];
  if (n > T) n = T;
  if (n < 1) n = 1;
  return (int)n;
}

// One block (any multiple of 32 threads). offsets [B+1], rowmap [B*T] (first offsets[B] used).
extern "C" __global__ void gw_matchmap_rows(const long long* nwords, int B, int T, int* offsets, int* rowmap) {
  if (threadIdx.x == 0) {
    int off = 0;
    for (int c = 0; c < B; c++) {
      offsets[c] = off;
      off += mm_words(nwords, c, T);
    }
    offsets[B] = off;
  }
  __syncthreads();   // makes thread 0's global writes visible to the block
  for (int c = threadIdx.x; c < B; c += blockDim.x) {
    int off = offsets[c], n = mm_words(nwords, c, T);
    for (int t = 0; t < n; t++) rowmap[off + t] = c * T + t;
  }
}

// Grid (ceil(R/64), B), block 256. image [B,D,P], language [B*T, D], smax/sarg [B, rcap].
extern "C" __global__ void __launch_bounds__(MM_THREADS)
gw_matchmap_max(const float* __restrict__ image, const float* __restrict__ language, const int* __restrict__ rowmap,
                const int* __restrict__ offsets, int B, int D, int P, int rcap, float* __restrict__ smax,
                int* __restrict__ sarg) {
  __shared__ __align__(16) float As[MM_DK][MM_AP];
  __shared__ __align__(16) float Bs[MM_DK][MM_PT];
  __shared__ int rowsrc[MM_RT];
  const int nrows = offsets[B];
  const int r0 = blockIdx.x * MM_RT;
  if (r0 >= nrows) return;
  const int i = blockIdx.y;
  const int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
  if (tid < MM_RT) rowsrc[tid] = r0 + tid < nrows ? rowmap[r0 + tid] : -1;
  __syncthreads();
  const float* img = image + (long long)i * D * P;

  float best[4];
  int arg[4];
#pragma unroll
  for (int q = 0; q < 4; q++) { best[q] = -INFINITY; arg[q] = 0; }

  for (int p0 = 0; p0 < P; p0 += MM_PT) {
    float acc[4][4];
#pragma unroll
    for (int a = 0; a < 4; a++)
#pragma unroll
      for (int b = 0; b < 4; b++) acc[a][b] = 0.f;

    for (int d0 = 0; d0 < D; d0 += MM_DK) {
      // language tile: 64 rows x 16 depth; consecutive threads read consecutive d of one row.
#pragma unroll
      for (int q = 0; q < 4; q++) {
        int e = tid + q * MM_THREADS;
        int r = e >> 4, k = e & 15;
        int src = rowsrc[r], d = d0 + k;
        As[k][r] = (src >= 0 && d < D) ? language[(long long)src * D + d] : 0.f;
      }
      // image tile: 16 depth x 64 cells; consecutive threads read consecutive p.
#pragma unroll
      for (int q = 0; q < 4; q++) {
        int e = tid + q * MM_THREADS;
        int k = e >> 6, p = e & 63;
        int d = d0 + k, pp = p0 + p;
        Bs[k][p] = (d < D && pp < P) ? img[(long long)d * P + pp] : 0.f;
      }
      __syncthreads();
#pragma unroll
      for (int k = 0; k < MM_DK; k++) {
        float4 a = *reinterpret_cast<const float4*>(&As[k][ty * 4]);
        float4 b = *reinterpret_cast<const float4*>(&Bs[k][tx * 4]);
        float av[4] = {a.x, a.y, a.z, a.w}, bv[4] = {b.x, b.y, b.z, b.w};
#pragma unroll
        for (int x = 0; x < 4; x++)
#pragma unroll
          for (int y = 0; y < 4; y++) acc[x][y] = fmaf(av[x], bv[y], acc[x][y]);
      }
      __syncthreads();
    }
    // Fold this cell tile into the running max; cells ascend, so '>' keeps the first maximum.
#pragma unroll
    for (int x = 0; x < 4; x++)
#pragma unroll
      for (int y = 0; y < 4; y++) {
        int p = p0 + tx * 4 + y;
        if (p < P && acc[x][y] > best[x]) { best[x] = acc[x][y]; arg[x] = p; }
      }
  }

  // Lanes 0-15 share one ty, lanes 16-31 the next: xor offsets 8..1 stay inside each half.
#pragma unroll
  for (int x = 0; x < 4; x++) {
    float v = best[x];
    int a = arg[x];
#pragma unroll
    for (int o = 8; o > 0; o >>= 1) {
      float ov = __shfl_xor_sync(0xffffffffu, v, o);
      int oa = __shfl_xor_sync(0xffffffffu, a, o);
      if (ov > v || (ov == v && oa < a)) { v = ov; a = oa; }
    }
    int r = r0 + ty * 4 + x;
    if (tx == 0 && r < nrows) {
      smax[(long long)i * rcap + r] = v;
      sarg[(long long)i * rcap + r] = a;
    }
  }
}

// sim[i,c] = mean of S over c's kept rows. Grid-stride over B*B.
extern "C" __global__ void gw_matchmap_mean(const float* __restrict__ smax, const int* __restrict__ offsets,
                                            const long long* __restrict__ nwords, int B, int T, int rcap,
                                            float* __restrict__ sim) {
  GW_GRID_STRIDE(e, (long long)B * B) {
    int i = (int)(e / B), c = (int)(e - (long long)i * B);
    int off = offsets[c], n = mm_words(nwords, c, T);
    const float* s = smax + (long long)i * rcap + off;
    float acc = 0.f;
    for (int t = 0; t < n; t++) acc += s[t];
    sim[e] = acc / (float)n;
  }
}

// Grid (P, B), block 256, dynamic shared 4*D bytes. dimage [B,D,P] fully written.
extern "C" __global__ void __launch_bounds__(MM_BWD_THREADS)
gw_matchmap_bwd_image(const float* __restrict__ language, const float* __restrict__ dsim, const int* __restrict__ sarg,
                      const int* __restrict__ rowmap, const int* __restrict__ offsets, const long long* __restrict__ nwords,
                      int B, int T, int D, int P, int rcap, float* __restrict__ dimage) {
  GW_DYNAMIC_SHARED(float, acc);   // D
  __shared__ int lrow[MM_BWD_THREADS];
  __shared__ float lg[MM_BWD_THREADS];
  __shared__ int wcnt[MM_BWD_THREADS / 32];
  const int p = blockIdx.x, i = blockIdx.y;
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const int nrows = offsets[B];
  for (int d = tid; d < D; d += MM_BWD_THREADS) acc[d] = 0.f;
  const int* am = sarg + (long long)i * rcap;
  for (int base = 0; base < nrows; base += MM_BWD_THREADS) {
    int r = base + tid;
    bool hit = r < nrows && am[r] == p;
    unsigned m = __ballot_sync(0xffffffffu, hit);
    if (lane == 0) wcnt[warp] = __popc(m);
    __syncthreads();
    int before = 0, total = 0;
#pragma unroll
    for (int w = 0; w < MM_BWD_THREADS / 32; w++) {
      int n = wcnt[w];
      if (w < warp) before += n;
      total += n;
    }
    if (hit) {
      int slot = before + __popc(m & ((1u << lane) - 1u));
      int src = rowmap[r], c = src / T;
      lrow[slot] = src;
      lg[slot] = dsim[(long long)i * B + c] / (float)mm_words(nwords, c, T);
    }
    __syncthreads();
    for (int s = 0; s < total; s++) {
      const float* l = language + (long long)lrow[s] * D;
      float g = lg[s];
      for (int d = tid; d < D; d += MM_BWD_THREADS) acc[d] = fmaf(g, l[d], acc[d]);
    }
    __syncthreads();   // lrow/lg/wcnt are rewritten by the next chunk
  }
  for (int d = tid; d < D; d += MM_BWD_THREADS) dimage[((long long)i * D + d) * P + p] = acc[d];
}

// Grid-stride over kept rows (one block per row), block = threads over d. Images [i0, i1) only:
// imageT [i1-i0, P, D] holds them; the sum continues from dlang's value when accumulate != 0, so
// consecutive image chunks add in the same order as one pass over all B. dlang [B*T, D], pre-zeroed
// (rows t >= n_c stay zero).
extern "C" __global__ void gw_matchmap_bwd_language(const float* __restrict__ imageT, const float* __restrict__ dsim,
                                                    const int* __restrict__ sarg, const int* __restrict__ rowmap,
                                                    const int* __restrict__ offsets, const long long* __restrict__ nwords,
                                                    int B, int T, int D, int P, int rcap, int i0, int i1, int accumulate,
                                                    float* __restrict__ dlang) {
  const int nrows = offsets[B];
  for (int r = blockIdx.x; r < nrows; r += gridDim.x) {
    int src = rowmap[r], c = src / T;
    float n = (float)mm_words(nwords, c, T);
    for (int d = threadIdx.x; d < D; d += blockDim.x) {
      float a = accumulate ? dlang[(long long)src * D + d] : 0.f;
      for (int i = i0; i < i1; i++) {
        int p = sarg[(long long)i * rcap + r];
        float g = dsim[(long long)i * B + c] / n;
        a = fmaf(g, imageT[((long long)(i - i0) * P + p) * D + d], a);
      }
      dlang[(long long)src * D + d] = a;
    }
  }
}

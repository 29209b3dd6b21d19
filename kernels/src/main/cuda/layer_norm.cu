// Layer norm over the last dim of contiguous [rows, D], forward and backward.
// Forward: mean, then the biased variance from (x - mean) (two passes over registers, no
// cancellation), out = (x - mean) * rstd * w + b; mean and rstd saved. D up to 1024: one warp per
// row, the row in registers, warp-shuffle reductions (one DRAM read, one write). Longer rows: one
// block per row. Memory bound.
// Backward: one block per row for dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat));
// dw, db in two deterministic stages: per-chunk column partials, then a sum over chunks.
#include "common.cuh"

template <int N>
__device__ __forceinline__ void gw_layer_norm_warp(const float* x, const float* w, const float* b, float* y,
                                                   float* mean, float* rstd, long long rows, int D, float eps) {
  long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
  if (row >= rows) return;
  int lane = threadIdx.x & 31;
  const float* r = x + row * D;
  float v[N];
  float s = 0.f;
#pragma unroll
  for (int j = 0; j < N; j++) {
    int k = lane + 32 * j;
    v[j] = k < D ? r[k] : 0.f;
    s += v[j];
  }
  float mu = gw_warp_sum(s) / D;
  float q = 0.f;
#pragma unroll
  for (int j = 0; j < N; j++) {
    int k = lane + 32 * j;
    float d = k < D ? v[j] - mu : 0.f;
    q += d * d;
  }
  float rs = rsqrtf(gw_warp_sum(q) / D + eps);
  float* o = y + row * D;
#pragma unroll
  for (int j = 0; j < N; j++) {
    int k = lane + 32 * j;
    if (k < D) {
      float h = (v[j] - mu) * rs;
      o[k] = (w ? h * w[k] : h) + (b ? b[k] : 0.f);
    }
  }
  if (lane == 0) { mean[row] = mu; rstd[row] = rs; }
}

#define GW_LAYER_NORM_WARP(N) \
  extern "C" __global__ void gw_layer_norm_warp##N##_f32(const float* x, const float* w, const float* b, float* y, \
                                                         float* mean, float* rstd, long long rows, int D, float eps) { \
    gw_layer_norm_warp<N>(x, w, b, y, mean, rstd, rows, D, eps); \
  }
GW_LAYER_NORM_WARP(1)
GW_LAYER_NORM_WARP(2)
GW_LAYER_NORM_WARP(4)
GW_LAYER_NORM_WARP(8)
GW_LAYER_NORM_WARP(16)
GW_LAYER_NORM_WARP(32)

extern "C" __global__ void gw_layer_norm_f32(const float* x, const float* w, const float* b, float* y,
                                             float* mean, float* rstd, int D, float eps) {
  __shared__ float scratch[32];
  long long base = (long long)blockIdx.x * D;
  float s = 0.f;
  for (int k = threadIdx.x; k < D; k += blockDim.x) s += x[base + k];
  float mu = gw_block_sum(s, scratch) / D;
  float v = 0.f;
  for (int k = threadIdx.x; k < D; k += blockDim.x) { float d = x[base + k] - mu; v += d * d; }
  float rs = rsqrtf(gw_block_sum(v, scratch) / D + eps);
  for (int k = threadIdx.x; k < D; k += blockDim.x) {
    float h = (x[base + k] - mu) * rs;
    y[base + k] = (w ? h * w[k] : h) + (b ? b[k] : 0.f);
  }
  if (threadIdx.x == 0) { mean[blockIdx.x] = mu; rstd[blockIdx.x] = rs; }
}

extern "C" __global__ void gw_layer_norm_bwd_f32(const float* g, const float* x, const float* w, const float* mean,
                                                 const float* rstd, float* dx, int D) {
  __shared__ float scratch[32];
  long long base = (long long)blockIdx.x * D;
  float mu = mean[blockIdx.x], rs = rstd[blockIdx.x];
  float s1 = 0.f, s2 = 0.f;
  for (int k = threadIdx.x; k < D; k += blockDim.x) {
    float dh = g[base + k] * (w ? w[k] : 1.f), h = (x[base + k] - mu) * rs;
    s1 += dh; s2 += dh * h;
  }
  s1 = gw_block_sum(s1, scratch) / D;
  s2 = gw_block_sum(s2, scratch) / D;
  for (int k = threadIdx.x; k < D; k += blockDim.x) {
    float dh = g[base + k] * (w ? w[k] : 1.f), h = (x[base + k] - mu) * rs;
    dx[base + k] = rs * (dh - s1 - h * s2);
  }
}

// Stage 1: grid (ceil(D/256), chunks); block 256 columns; each block sums its row chunk.
extern "C" __global__ void gw_layer_norm_params_partial(const float* g, const float* x, const float* mean, const float* rstd,
                                                        float* pw, float* pb, int rows, int D, int rowsPerChunk) {
  int d = blockIdx.x * blockDim.x + threadIdx.x;
  if (d >= D) return;
  int r0 = blockIdx.y * rowsPerChunk, r1 = min(rows, r0 + rowsPerChunk);
  float sw = 0.f, sb = 0.f;
  for (int r = r0; r < r1; r++) {
    float gg = g[(long long)r * D + d];
    sw += gg * (x[(long long)r * D + d] - mean[r]) * rstd[r];
    sb += gg;
  }
  pw[(long long)blockIdx.y * D + d] = sw;
  pb[(long long)blockIdx.y * D + d] = sb;
}

// Stage 2: one thread per column sums the chunk partials in a fixed order.
extern "C" __global__ void gw_column_sum_f32(const float* partial, float* out, int chunks, int D) {
  int d = blockIdx.x * blockDim.x + threadIdx.x;
  if (d >= D) return;
  float s = 0.f;
  for (int c = 0; c < chunks; c++) s += partial[(long long)c * D + d];
  out[d] = s;
}

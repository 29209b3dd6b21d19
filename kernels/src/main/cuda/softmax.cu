// Softmax / log-softmax over the last dim, forward and backward; rows of a contiguous [rows, len].
// Rows up to 1024 (BERT's 768, attention rows): one warp per row, 8 rows per 256-thread block, the
// row held in registers (N = ceil(len/32) rounded up to a power of two per lane), max and sum by
// warp shuffles: one DRAM read and one write, no shared memory, no block barriers.
// Longer rows: one block per row (a multiple of 32 threads), three passes whose re-reads hit L1/L2.
// Memory bound either way.
#include "common.cuh"

template <int N>
__device__ __forceinline__ void gw_softmax_warp(const float* x, float* y, long long rows, int len, int logMode) {
  long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
  if (row >= rows) return;
  int lane = threadIdx.x & 31;
  const float* r = x + row * len;
  float v[N];
  float m = -INFINITY;
#pragma unroll
  for (int j = 0; j < N; j++) {
    int k = lane + 32 * j;
    v[j] = k < len ? r[k] : -INFINITY;
    m = fmaxf(m, v[j]);
  }
  m = gw_warp_max(m);
  float s = 0.f;
#pragma unroll
  for (int j = 0; j < N; j++) {
    int k = lane + 32 * j;
    float e = k < len ? __expf(v[j] - m) : 0.f;
    s += e;
    if (!logMode) v[j] = e;
  }
  s = gw_warp_sum(s);
  float* o = y + row * len;
  float inv = 1.f / s, ls = logf(s);
#pragma unroll
  for (int j = 0; j < N; j++) {
    int k = lane + 32 * j;
    if (k < len) o[k] = logMode ? v[j] - m - ls : v[j] * inv;
  }
}

#define GW_SOFTMAX_WARP(N) \
  extern "C" __global__ void gw_softmax_warp##N##_f32(const float* x, float* y, long long rows, int len, int logMode) { \
    gw_softmax_warp<N>(x, y, rows, len, logMode); \
  }
GW_SOFTMAX_WARP(1)
GW_SOFTMAX_WARP(2)
GW_SOFTMAX_WARP(4)
GW_SOFTMAX_WARP(8)
GW_SOFTMAX_WARP(16)
GW_SOFTMAX_WARP(32)

extern "C" __global__ void gw_softmax_f32(const float* x, float* y, int len, int logMode) {
  __shared__ float scratch[32];
  const float* r = x + (long long)blockIdx.x * len;
  float* o = y + (long long)blockIdx.x * len;
  float m = -INFINITY;
  for (int k = threadIdx.x; k < len; k += blockDim.x) m = fmaxf(m, r[k]);
  m = gw_block_max(m, scratch);
  float s = 0.f;
  for (int k = threadIdx.x; k < len; k += blockDim.x) s += __expf(r[k] - m);
  s = gw_block_sum(s, scratch);
  if (logMode) {
    float ls = logf(s);
    for (int k = threadIdx.x; k < len; k += blockDim.x) o[k] = r[k] - m - ls;
  } else {
    float inv = 1.f / s;
    for (int k = threadIdx.x; k < len; k += blockDim.x) o[k] = __expf(r[k] - m) * inv;
  }
}

// softmax: dx = y * (g - sum(g * y)); log-softmax: dx = g - exp(y) * sum(g).
extern "C" __global__ void gw_softmax_bwd_f32(const float* g, const float* y, float* dx, int len, int logMode) {
  __shared__ float scratch[32];
  long long base = (long long)blockIdx.x * len;
  float dot = 0.f;
  for (int k = threadIdx.x; k < len; k += blockDim.x) dot += logMode ? g[base + k] : g[base + k] * y[base + k];
  dot = gw_block_sum(dot, scratch);
  for (int k = threadIdx.x; k < len; k += blockDim.x) {
    float gy = g[base + k], yy = y[base + k];
    dx[base + k] = logMode ? gy - __expf(yy) * dot : yy * (gy - dot);
  }
}

// Sum of squares of a contiguous float32 buffer, for gradient-norm clipping (GradClip's global norm,
// BertAdam's per-tensor norm): each block writes one partial (fixed-order tree), then a single block
// sums the partials into one float on the device, so the norm is deterministic and needs no host
// round trip until someone reads it.
// Launch: stage 1 grid = min(ceil(n/256), GW_SQ_NORM_MAX_BLOCKS) blocks of 256; stage 2 one block of 1024.
// Memory bound.
#include "common.cuh"

#define GW_SQ_NORM_THREADS 256
#define GW_SQ_NORM_MAX_BLOCKS 1024
#define GW_SQ_NORM_SUM_THREADS 1024

extern "C" __global__ void gw_sq_norm_partial_f32(const float* x, long long n, float* partial) {
  __shared__ float scratch[32];
  float s = 0.f;
  GW_GRID_STRIDE(i, n) { float v = x[i]; s += v * v; }
  s = gw_block_sum(s, scratch);
  if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// out[0] = Σ partial[0..n).
extern "C" __global__ void gw_sum_f32(const float* partial, int n, float* out) {
  __shared__ float scratch[32];
  float s = 0.f;
  for (int i = threadIdx.x; i < n; i += blockDim.x) s += partial[i];
  s = gw_block_sum(s, scratch);
  if (threadIdx.x == 0) out[0] = s;
}

// Per-channel bias for NCHW outputs: y[n, c, :] += b[c], and its gradient db[c] = sum over n, hw.
// Forward: 1-D grid-stride. Gradient: one block per channel, fixed-order block reduction (so the
// result is deterministic). Memory bound.
#include "common.cuh"

extern "C" __global__ void gw_bias_add_nchw_f32(float* y, const float* b, int N, int C, long long HW) {
  GW_GRID_STRIDE(t, (long long)N * C * HW) y[t] += b[(t / HW) % C];
}

extern "C" __global__ void gw_bias_grad_nchw_f32(const float* g, float* db, int N, int C, long long HW) {
  __shared__ float scratch[32];
  int c = blockIdx.x;
  float s = 0.f;
  for (int n = 0; n < N; n++)
    for (long long k = threadIdx.x; k < HW; k += blockDim.x) s += g[((long long)n * C + c) * HW + k];
  s = gw_block_sum(s, scratch);
  if (threadIdx.x == 0) db[c] = s;
}

// Fused residual add + dropout: y = residual + mask * x / keep, with mask_i = Philox(seed, offset+i)
// exactly as Backend.random(BERNOULLI, keep) draws it. The backward regenerates the mask from
// (seed, offset) instead of storing it: dx = mask * g / keep (and dresidual = g, no kernel).
// Launch: 1-D grid-stride, 256 threads. Memory bound (Philox is cheap next to 12 bytes/element).
#include "common.cuh"

extern "C" __global__ void gw_add_dropout_f32(const float* x, const float* residual, float* y, long long n, double keep,
                                              unsigned long long seed, unsigned long long offset) {
  const float k = (float)keep;
  GW_GRID_STRIDE(i, n) y[i] = residual[i] + (gw_keep(seed, offset, i, keep) ? x[i] / k : 0.f);
}

extern "C" __global__ void gw_dropout_bwd_f32(const float* g, float* dx, long long n, double keep,
                                              unsigned long long seed, unsigned long long offset) {
  const float k = (float)keep;
  GW_GRID_STRIDE(i, n) dx[i] = gw_keep(seed, offset, i, keep) ? g[i] / k : 0.f;
}

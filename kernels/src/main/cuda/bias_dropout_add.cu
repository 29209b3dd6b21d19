// Fused bias + dropout + residual add (BERT's residual paths, F.biasDropoutAdd): for x and residual
// [rows, D] contiguous and bias [D], y = residual + keep_i * (x + b[col]) * scale with scale = 1/(1-p)
// rounded to float, keep_i = Philox(seed, offset + i) drawn exactly as Backend.random(BERNOULLI, 1-p)
// draws it (gw_keep). The backward regenerates the mask from (seed, offset) instead of storing it:
// dx = keep_i * g * scale (the bias gradient is dx's column sums, the residual's is g: no kernel).
// keep >= 1 (eval, p = 0) skips the draw. The arithmetic is the composition's: (x + b), times scale,
// plus residual, each rounded (__fmul_rn: never contracted into an FMA).
// Launch: 1-D grid-stride, GW_GRID_STRIDE_THREADS threads. Memory bound (Philox is cheap next to 16
// bytes/element).
#include "common.cuh"

extern "C" __global__ void gw_bias_dropout_add_f32(const float* x, const float* b, const float* residual, float* y,
                                                   long long n, int D, double keep, float scale,
                                                   unsigned long long seed, unsigned long long offset) {
  GW_GRID_STRIDE(i, n) {
    float t = x[i] + b[i % D];
    if (keep < 1.0) t = gw_keep(seed, offset, i, keep) ? __fmul_rn(t, scale) : __fmul_rn(t, 0.f);
    y[i] = t + residual[i];
  }
}

extern "C" __global__ void gw_bias_dropout_add_bwd_f32(const float* g, float* dx, long long n, double keep, float scale,
                                                       unsigned long long seed, unsigned long long offset) {
  GW_GRID_STRIDE(i, n) dx[i] = __fmul_rn(g[i], gw_keep(seed, offset, i, keep) ? scale : 0.f);
}

// Fused bias + GELU (exact erf) for a contiguous [rows, D] activation: y = gelu(x + b[col]),
// and its backward dx = g * gelu'(x + b) (the bias gradient is the column sum of dx, done by the
// host with the layer-norm column-sum kernels). One read of x and one write of y instead of the
// two round trips of a separate add. Launch: 1-D grid-stride, 256 threads. Memory bound.
#include "common.cuh"
#include "ops.cuh"

extern "C" __global__ void gw_bias_gelu_f32(const float* x, const float* b, float* y, long long n, int D) {
  GW_GRID_STRIDE(i, n) y[i] = gw_unary<float>(U_GELU, x[i] + b[i % D], 0.f, 0.f);
}

extern "C" __global__ void gw_bias_gelu_bwd_f32(const float* g, const float* x, const float* b, float* dx, long long n, int D) {
  GW_GRID_STRIDE(i, n) dx[i] = g[i] * gw_gelu_grad<float>(x[i] + b[i % D]);
}

// float32 <-> bfloat16 conversion (round to nearest even), for bf16 GEMM inputs with fp32
// accumulation. Launch: 1-D grid-stride, 256 threads. Memory bound.
#include "common.cuh"
#include <cuda_bf16.h>

extern "C" __global__ void gw_f32_to_bf16(const float* x, __nv_bfloat16* y, long long n) {
  GW_GRID_STRIDE(i, n) y[i] = __float2bfloat16_rn(x[i]);
}

extern "C" __global__ void gw_bf16_to_f32(const __nv_bfloat16* x, float* y, long long n) {
  GW_GRID_STRIDE(i, n) y[i] = __bfloat162float(x[i]);
}

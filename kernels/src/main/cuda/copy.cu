// Strided copy with dtype conversion, and fill.
// Launch: 1-D grid-stride, 256 threads. Memory bound; a fully contiguous same-dtype copy never
// comes here (the host uses cuMemcpyDtoDAsync), so this serves views, permutes and conversions.
#include "common.cuh"

extern "C" __global__ void gw_copy_f32(const float* src, Layout sl, float* dst, Layout dl, long long n) {
  GW_GRID_STRIDE(i, n) dst[gw_offset(dl, i)] = src[gw_offset(sl, i)];
}

// Same dtype, any element size: moves raw bits, so int64 values above 2^53 survive.
extern "C" __global__ void gw_copy_raw8(const long long* src, Layout sl, long long* dst, Layout dl, long long n) {
  GW_GRID_STRIDE(i, n) dst[gw_offset(dl, i)] = src[gw_offset(sl, i)];
}

extern "C" __global__ void gw_copy_convert(const void* src, int sdt, Layout sl, void* dst, int ddt, Layout dl, long long n) {
  GW_GRID_STRIDE(i, n) gw_store(dst, ddt, gw_offset(dl, i), gw_load(src, sdt, gw_offset(sl, i)));
}

extern "C" __global__ void gw_fill(void* dst, int ddt, Layout dl, double v, long long n) {
  GW_GRID_STRIDE(i, n) gw_store(dst, ddt, gw_offset(dl, i), v);
}

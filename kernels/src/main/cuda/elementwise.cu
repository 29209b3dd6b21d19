// Elementwise unary and binary maps, and where(), over broadcast (stride-0) strided operands.
// Launch: 1-D grid-stride, 256 threads. Memory bound: the contiguous float32 variants move float4
// vectors (the host checks 16-byte alignment and n % 4 == 0); the strided variants pay an index
// decomposition per element; the generic variants compute in double for F64/I64/I32 operands.
#include "common.cuh"
#include "ops.cuh"

extern "C" __global__ void gw_unary_f32_v4(int op, const float4* x, float4* y, long long n4, float p, float q) {
  GW_GRID_STRIDE(i, n4) {
    float4 v = x[i];
    v.x = gw_unary<float>(op, v.x, p, q); v.y = gw_unary<float>(op, v.y, p, q);
    v.z = gw_unary<float>(op, v.z, p, q); v.w = gw_unary<float>(op, v.w, p, q);
    y[i] = v;
  }
}

extern "C" __global__ void gw_unary_f32(int op, const float* x, Layout xl, float* y, Layout yl, long long n, float p, float q) {
  GW_GRID_STRIDE(i, n) y[gw_offset(yl, i)] = gw_unary<float>(op, x[gw_offset(xl, i)], p, q);
}

extern "C" __global__ void gw_unary_generic(int op, const void* x, int xdt, Layout xl, void* y, int ydt, Layout yl,
                                            long long n, double p, double q) {
  GW_GRID_STRIDE(i, n) gw_store(y, ydt, gw_offset(yl, i), gw_unary<double>(op, gw_load(x, xdt, gw_offset(xl, i)), p, q));
}

extern "C" __global__ void gw_binary_f32_v4(int op, const float4* a, const float4* b, float4* y, long long n4) {
  GW_GRID_STRIDE(i, n4) {
    float4 u = a[i], v = b[i], r;
    r.x = gw_binary<float>(op, u.x, v.x); r.y = gw_binary<float>(op, u.y, v.y);
    r.z = gw_binary<float>(op, u.z, v.z); r.w = gw_binary<float>(op, u.w, v.w);
    y[i] = r;
  }
}

extern "C" __global__ void gw_binary_f32(int op, const float* a, Layout al, const float* b, Layout bl,
                                         float* y, Layout yl, long long n) {
  GW_GRID_STRIDE(i, n) y[gw_offset(yl, i)] = gw_binary<float>(op, a[gw_offset(al, i)], b[gw_offset(bl, i)]);
}

extern "C" __global__ void gw_binary_generic(int op, const void* a, int adt, Layout al, const void* b, int bdt, Layout bl,
                                             void* y, int ydt, Layout yl, long long n) {
  GW_GRID_STRIDE(i, n)
    gw_store(y, ydt, gw_offset(yl, i), gw_binary<double>(op, gw_load(a, adt, gw_offset(al, i)), gw_load(b, bdt, gw_offset(bl, i))));
}

extern "C" __global__ void gw_where(const void* c, int cdt, Layout cl, const void* a, const void* b, int dt,
                                    Layout al, Layout bl, void* y, Layout yl, long long n) {
  GW_GRID_STRIDE(i, n) {
    bool take = gw_load(c, cdt, gw_offset(cl, i)) != 0;
    long long o = gw_offset(yl, i);
    if (dt == GW_I64) ((long long*)y)[o] = take ? ((const long long*)a)[gw_offset(al, i)] : ((const long long*)b)[gw_offset(bl, i)];
    else gw_store(y, dt, o, take ? gw_load(a, dt, gw_offset(al, i)) : gw_load(b, dt, gw_offset(bl, i)));
  }
}

// Index ops: gather / scatter-add along a dim (strided), index_select / index_add on
// [outer, size, inner] views (embedding forward and backward are these two).
// Launch: 1-D grid-stride, 256 threads, one thread per index element (gather, scatter) or per
// output element (select, add). Scatter and index_add use atomicAdd, so their float sums are not
// bit-reproducible across runs when indices repeat. An out-of-range index sets *err to 1 + position;
// the host reads it back and throws naming the op.
#include "common.cuh"

__device__ __forceinline__ void gw_atomic_add(void* p, int dt, long long i, double v) {
  if (dt == GW_F32) atomicAdd((float*)p + i, (float)v);
  else if (dt == GW_F64) atomicAdd((double*)p + i, v);
  else if (dt == GW_I64) atomicAdd((unsigned long long*)p + i, (unsigned long long)(long long)v);
  else atomicAdd((int*)p + i, (int)v);
}

// x layout has stride 0 at dim; step is x's real stride there; bound its size.
extern "C" __global__ void gw_gather_scatter(int scatter, void* x, int xdt, Layout xl, long long step, int bound,
                                             const long long* index, Layout il, void* other, int odt, Layout ol,
                                             long long n, int* err) {
  GW_GRID_STRIDE(i, n) {
    long long k = index[gw_offset(il, i)];
    if (k < 0 || k >= bound) { atomicCAS(err, 0, 1); continue; }
    long long xp = gw_offset(xl, i) + k * step, op = gw_offset(ol, i);
    if (scatter) gw_atomic_add(x, xdt, xp, gw_load(other, odt, op));
    else gw_store(other, odt, op, gw_load(x, xdt, xp));
  }
}

extern "C" __global__ void gw_index_select_f32(const float* x, const long long* index, float* out,
                                               int size, int nIndex, long long inner, long long n, int* err) {
  GW_GRID_STRIDE(t, n) {
    long long in = t % inner, r = t / inner, j = r % nIndex, o = r / nIndex;
    long long k = index[j];
    if (k < 0 || k >= size) { atomicCAS(err, 0, 1); continue; }
    out[t] = x[(o * size + k) * inner + in];
  }
}

extern "C" __global__ void gw_index_select_generic(const void* x, int dt, const long long* index, void* out,
                                                   int size, int nIndex, long long inner, long long n, int* err) {
  GW_GRID_STRIDE(t, n) {
    long long in = t % inner, r = t / inner, j = r % nIndex, o = r / nIndex;
    long long k = index[j];
    if (k < 0 || k >= size) { atomicCAS(err, 0, 1); continue; }
    long long src = (o * size + k) * inner + in;
    if (dt == GW_I64 || dt == GW_F64) ((long long*)out)[t] = ((const long long*)x)[src];
    else ((int*)out)[t] = ((const int*)x)[src];
  }
}

extern "C" __global__ void gw_index_add(void* dst, int dt, const long long* index, const void* src,
                                        int size, int nIndex, long long inner, long long n, int* err) {
  GW_GRID_STRIDE(t, n) {
    long long in = t % inner, r = t / inner, j = r % nIndex, o = r / nIndex;
    long long k = index[j];
    if (k < 0 || k >= size) { atomicCAS(err, 0, 1); continue; }
    gw_atomic_add(dst, dt, (o * size + k) * inner + in, gw_load(src, dt, t));
  }
}

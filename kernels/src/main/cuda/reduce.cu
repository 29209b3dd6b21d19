// Sum / max / min along one dim of a contiguous tensor viewed as [outer, len, inner].
// inner == 1 (the last dim): one 256-thread block per row, a tree reduction in shared memory.
// inner > 1: one thread per (outer, inner) column walking len, so a warp reads 32 adjacent floats.
// Memory bound. Max/min keep the first index of the extreme; NaN wins, as in PyTorch.
#include "common.cuh"

enum { R_SUM = 0, R_MAX = 1, R_MIN = 2 };

// Threads of gw_reduce_rows_f32, whose shared tree is sized for exactly this many (ReduceKernels mirrors it).
#define GW_REDUCE_ROW_THREADS 256

__device__ __forceinline__ bool gw_better(int op, float v, long long i, float bv, long long bi) {
  if (isnan(v)) return !isnan(bv) || i < bi;
  if (isnan(bv)) return false;
  if (v == bv) return i < bi;
  return op == R_MAX ? v > bv : v < bv;
}

extern "C" __global__ void gw_reduce_rows_f32(int op, const float* x, float* out, long long* idx, int len) {
  __shared__ float sv[GW_REDUCE_ROW_THREADS];
  __shared__ long long si[GW_REDUCE_ROW_THREADS];
  const float* row = x + (long long)blockIdx.x * len;
  float acc = op == R_SUM ? 0.f : NAN;
  long long ai = -1;
  for (int k = threadIdx.x; k < len; k += blockDim.x) {
    float v = row[k];
    if (op == R_SUM) acc += v;
    else if (ai < 0 || gw_better(op, v, k, acc, ai)) { acc = v; ai = k; }
  }
  sv[threadIdx.x] = acc; si[threadIdx.x] = ai;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      float v = sv[threadIdx.x + s]; long long i = si[threadIdx.x + s];
      if (op == R_SUM) sv[threadIdx.x] += v;
      else if (i >= 0 && (si[threadIdx.x] < 0 || gw_better(op, v, i, sv[threadIdx.x], si[threadIdx.x]))) {
        sv[threadIdx.x] = v; si[threadIdx.x] = i;
      }
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    out[blockIdx.x] = sv[0];
    if (idx) idx[blockIdx.x] = si[0];
  }
}

extern "C" __global__ void gw_reduce_cols_f32(int op, const float* x, float* out, long long* idx, int outer, int len, int inner) {
  GW_GRID_STRIDE(t, (long long)outer * inner) {
    long long o = t / inner, in = t - o * inner;
    const float* p = x + o * len * inner + in;
    float acc = op == R_SUM ? 0.f : p[0];
    long long ai = 0;
    for (int k = op == R_SUM ? 0 : 1; k < len; k++) {
      float v = p[(long long)k * inner];
      if (op == R_SUM) acc += v;
      else if (gw_better(op, v, k, acc, ai)) { acc = v; ai = k; }
    }
    out[t] = acc;
    if (idx) idx[t] = ai;
  }
}

// Any dtype, double accumulation; one thread per output (small tensors: int64 counts, float64 checks).
extern "C" __global__ void gw_reduce_generic(int op, const void* x, int xdt, void* out, int odt, long long* idx,
                                             int outer, int len, int inner) {
  GW_GRID_STRIDE(t, (long long)outer * inner) {
    long long o = t / inner, in = t - o * inner, base = o * len * inner + in;
    double acc = op == R_SUM ? 0.0 : gw_load(x, xdt, base);
    long long ai = 0;
    for (int k = op == R_SUM ? 0 : 1; k < len; k++) {
      double v = gw_load(x, xdt, base + (long long)k * inner);
      if (op == R_SUM) acc += v;
      else if (isnan(v) && !isnan(acc)) { acc = v; ai = k; }
      else if (!isnan(acc) && (op == R_MAX ? v > acc : v < acc)) { acc = v; ai = k; }
    }
    gw_store(out, odt, t, acc);
    if (idx) idx[t] = ai;
  }
}

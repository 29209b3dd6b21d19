// Shared device helpers: tensor layouts, dtype-generic loads/stores, block reductions, Philox.
// Every kernel file includes this header; the tensor-core kernels also include tensor_core.cuh.
#pragma once
#include <stdint.h>

// Up to 8 dims; element strides; the storage offset is folded into the pointer by the host.
#define GW_MAX_RANK 8
struct Layout {
  int rank;
  int shape[GW_MAX_RANK];
  long long stride[GW_MAX_RANK];
};

// Element offset of the i-th element (row-major order over shape) of a strided tensor.
__device__ __forceinline__ long long gw_offset(const Layout& L, long long i) {
  long long off = 0;
  for (int d = L.rank - 1; d >= 0; d--) {
    int s = L.shape[d];
    long long q = i / s;
    off += (i - q * s) * L.stride[d];
    i = q;
  }
  return off;
}

// DType codes: the ordinal of dev.groundwork.engine.tensor.DType.
enum { GW_F32 = 0, GW_F64 = 1, GW_I64 = 2, GW_I32 = 3 };

__device__ __forceinline__ double gw_load(const void* p, int dt, long long i) {
  switch (dt) {
    case GW_F32: return ((const float*)p)[i];
    case GW_F64: return ((const double*)p)[i];
    case GW_I64: return (double)((const long long*)p)[i];
    default: return ((const int*)p)[i];
  }
}

__device__ __forceinline__ void gw_store(void* p, int dt, long long i, double v) {
  switch (dt) {
    case GW_F32: ((float*)p)[i] = (float)v; break;
    case GW_F64: ((double*)p)[i] = v; break;
    case GW_I64: ((long long*)p)[i] = (long long)v; break;
    default: ((int*)p)[i] = (int)v; break;
  }
}

// The launch's dynamic shared memory as an array of type; a macro so the CPU emulation
// (kernels/src/test/emu) can supply it.
#ifndef GW_HOST_EMU
#define GW_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
#endif

// Threads per block of every 1-D grid-stride launch (Launcher.elementwise on the host); the loops
// below work for any block size, this is the one the host and the emulation drivers use.
#define GW_GRID_STRIDE_THREADS 256
#define GW_GRID_STRIDE(i, n) \
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (long long)gridDim.x * blockDim.x)

__device__ __forceinline__ float gw_warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

__device__ __forceinline__ float gw_warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

// Block-wide sum/max for blockDim.x a multiple of 32 (<= 1024); every thread gets the result.
// `scratch` holds 32 floats of shared memory; the trailing barrier makes it reusable at once.
__device__ __forceinline__ float gw_block_sum(float v, float* scratch) {
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
  v = gw_warp_sum(v);
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  v = lane < nw ? scratch[lane] : 0.f;
  v = gw_warp_sum(v);
  __syncthreads();
  return v;
}

__device__ __forceinline__ float gw_block_max(float v, float* scratch) {
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
  v = gw_warp_max(v);
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  v = lane < nw ? scratch[lane] : -INFINITY;
  v = gw_warp_max(v);
  __syncthreads();
  return v;
}

// Philox4x32-10 exactly as dev.groundwork.engine.random.Philox: key = seed, counter = (c, 0).
struct GwPhilox { uint32_t w[4]; };

__device__ __forceinline__ GwPhilox gw_philox(unsigned long long key, unsigned long long counter) {
  uint32_t c0 = (uint32_t)counter, c1 = (uint32_t)(counter >> 32), c2 = 0, c3 = 0;
  uint32_t k0 = (uint32_t)key, k1 = (uint32_t)(key >> 32);
#pragma unroll
  for (int r = 0; r < 10; r++) {
    uint32_t hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
    uint32_t hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
    uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
  }
  GwPhilox r; r.w[0] = c0; r.w[1] = c1; r.w[2] = c2; r.w[3] = c3;
  return r;
}

// Uniform [0, 1) from 24 bits of one word: the float32 convention of Philox.uniform24.
__device__ __forceinline__ float gw_uniform24(uint32_t w) { return (float)(w >> 8) * 0x1.0p-24f; }

__device__ __forceinline__ double gw_uniform53(uint32_t hi, uint32_t lo) {
  unsigned long long bits = (((unsigned long long)hi) << 21) ^ (((unsigned long long)lo) >> 11);
  return (double)(bits & ((1ULL << 53) - 1)) * 0x1.0p-53;
}

// Dropout keep decision for element i: the same draw as Backend.random(BERNOULLI, keep) on the CPU.
// keep is a double, as the CPU compares it: float(0.9) is itself a multiple of 2^-24, so a float keep
// would disagree with the CPU on the one draw equal to it.
__device__ __forceinline__ bool gw_keep(unsigned long long seed, unsigned long long offset, long long i, double keep) {
  return (double)gw_uniform24(gw_philox(seed, offset + (unsigned long long)i).w[0]) < keep;
}

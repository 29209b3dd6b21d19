// A CPU emulation of the CUDA features the tensor-core kernels use, so a kernel's source can be
// compiled by the host compiler, run and compared with the engine's reference on a machine with
// no GPU. Include this first, then the .cu file; tensor_core.cuh sees GW_HOST_EMU and leaves its
// functions to the definitions here.
//
// Model: a launch runs its blocks one after another; a block's threads are real std::threads, so
// __syncthreads is a barrier of the block and `__shared__` (made `static`) is one array per
// kernel instantiation, reused by consecutive blocks as shared memory is. Warp-collective
// operations (shuffles, ldmatrix, mma.sync) meet at a barrier of the warp's 32 threads, exchange
// their registers through the warp's slots and compute every lane's result from the PTX ISA's
// fragment layouts, as written out in tensor_core.cuh. mma accumulates in fp32 in k order (the
// hardware's summation order is not specified, so results agree to rounding, not bitwise).
// What it cannot show: timing, and every race that real hardware would expose (the OS schedules the
// threads, so some show up, not all). cp.async copies land at the wait that releases them, the
// latest moment allowed, so reading a tile before waiting for it fails here as it may there.
#pragma once
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#define GW_HOST_EMU 1
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))
#define __launch_bounds__(...)

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};
struct uint4 {
  uint32_t x, y, z, w;
};
inline uint4 make_uint4(uint32_t x, uint32_t y, uint32_t z, uint32_t w) { return {x, y, z, w}; }
struct __attribute__((aligned(16))) float4 {
  float x, y, z, w;
};
struct __attribute__((aligned(8))) float2 {
  float x, y;
};
inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }
inline float2 make_float2(float x, float y) { return {x, y}; }
// Round-to-nearest multiply and add that are never contracted into an FMA (build with -ffp-contract=off).
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }

inline thread_local dim3 threadIdx, blockIdx;
inline dim3 gridDim, blockDim;

namespace gw_emu {
struct Warp {
  std::barrier<> bar{32};
  float f[32][4];
  uint32_t u[32][6];
  const uint16_t* row[32];
};
struct Block {
  Block(int threads, size_t dynamicBytes) : bar(threads), dynamic((dynamicBytes + 15) / 16 + 1) {
    for (int w = 0; w < threads / 32; w++) warps.push_back(std::make_unique<Warp>());
  }
  std::barrier<> bar;
  std::vector<std::unique_ptr<Warp>> warps;
  std::vector<uint4> dynamic;  // the launch's dynamic shared memory, 16-byte aligned
};
inline thread_local Block* block = nullptr;
inline Warp& warp() { return *block->warps[threadIdx.x / 32]; }
inline int lane() { return threadIdx.x & 31; }
inline float bf16(uint32_t reg, int half) {
  uint32_t bits = (half ? reg >> 16 : reg & 0xffffu) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// Runs kernel() for every thread of every block of grid (blockDim.x threads, a multiple of 32),
// with dynamicBytes of dynamic shared memory per block (GW_DYNAMIC_SHARED).
template <class F>
void launch(dim3 grid, int threads, F kernel, size_t dynamicBytes = 0) {
  gridDim = grid;
  blockDim = dim3{(unsigned)threads, 1, 1};
  for (unsigned z = 0; z < grid.z; z++)
    for (unsigned y = 0; y < grid.y; y++)
      for (unsigned x = 0; x < grid.x; x++) {
        Block blk(threads, dynamicBytes);
        std::vector<std::thread> ts;
        for (int i = 0; i < threads; i++)
          ts.emplace_back([&, i] {
            threadIdx = dim3{(unsigned)i, 0, 0};
            blockIdx = dim3{x, y, z};
            block = &blk;
            kernel();
          });
        for (auto& th : ts) th.join();
      }
}
}  // namespace gw_emu

#define GW_DYNAMIC_SHARED(type, name) type* name = reinterpret_cast<type*>(gw_emu::block->dynamic.data())

inline void __syncthreads() { gw_emu::block->bar.arrive_and_wait(); }

inline float __shfl_xor_sync(unsigned, float v, int laneMask) {
  auto& w = gw_emu::warp();
  int l = gw_emu::lane();
  w.f[l][0] = v;
  w.bar.arrive_and_wait();
  float r = w.f[l ^ laneMask][0];
  w.bar.arrive_and_wait();
  return r;
}

inline int __shfl_xor_sync(unsigned, int v, int laneMask) {
  auto& w = gw_emu::warp();
  int l = gw_emu::lane();
  std::memcpy(&w.f[l][0], &v, 4);
  w.bar.arrive_and_wait();
  int r;
  std::memcpy(&r, &w.f[l ^ laneMask][0], 4);
  w.bar.arrive_and_wait();
  return r;
}

// Bit i of the result: lane i's predicate (every lane of the warp takes part, as in our kernels).
inline unsigned __ballot_sync(unsigned, int predicate) {
  auto& w = gw_emu::warp();
  int l = gw_emu::lane();
  w.u[l][0] = predicate != 0;
  w.bar.arrive_and_wait();
  unsigned m = 0;
  for (int i = 0; i < 32; i++) m |= w.u[i][0] << i;
  w.bar.arrive_and_wait();
  return m;
}

inline int __popc(unsigned x) { return __builtin_popcount(x); }

inline float __uint_as_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// CUDA's integer min/max overloads (device code calls them unqualified).
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }

inline unsigned __umulhi(unsigned a, unsigned b) { return (unsigned)(((uint64_t)a * b) >> 32); }

// ---- tensor_core.cuh, emulated

inline uint32_t gw_bf16_bits(float f) {  // round to nearest even, as __float2bfloat16_rn
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u) return 0x7fc0u;  // NaN
  return (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
}

inline uint32_t gw_bf16x2(float lo, float hi) { return gw_bf16_bits(lo) | gw_bf16_bits(hi) << 16; }

namespace gw_emu {
// One m16n8kK mma.sync of the warp: every lane posts its A (4 registers), B (2) fragments, then
// computes its own 4 outputs d[c] (row g + 8*(c/2), column 2t + c%2) from all lanes' registers;
// A(row, k, regs) and B(k, n, regs) pick one element out of the posted registers. The products
// of bf16 or tf32 values are exact in fp32; they accumulate in k order.
template <int KDIM, class AElem, class BElem>
inline void warp_mma(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1, AElem A, BElem B) {
  auto& w = warp();
  int l = lane();
  for (int i = 0; i < 4; i++) w.u[l][i] = a[i];
  w.u[l][4] = b0;
  w.u[l][5] = b1;
  w.bar.arrive_and_wait();
  int g = l >> 2, t = l & 3;
  float r[4];
  for (int c = 0; c < 4; c++) {
    int row = g + (c >> 1) * 8, col = 2 * t + (c & 1);
    float acc = d[c];
    for (int kx = 0; kx < KDIM; kx++) acc += A(row, kx, w.u) * B(kx, col, w.u);
    r[c] = acc;
  }
  w.bar.arrive_and_wait();
  for (int c = 0; c < 4; c++) d[c] = r[c];
}

inline float tf32_value(uint32_t u) {  // the hardware reads only the tf32 bits (the top 19)
  u &= 0xffffe000u;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
}  // namespace gw_emu

// bf16 m16n8k16: element (row, k) of A sits in lane 4*(row%8) + (k%8)/2, register (row/8) + 2*(k/8),
// half k%2; element (k, n) of B in lane 4n + (k%8)/2, register 4 + k/8, half k%2.
inline void gw_mma_bf16_16816(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
  gw_emu::warp_mma<16>(
      d, a, b0, b1,
      [](int row, int k, uint32_t (*u)[6]) { return gw_emu::bf16(u[(row & 7) * 4 + ((k & 7) >> 1)][(row >> 3) + 2 * (k >> 3)], k & 1); },
      [](int k, int n, uint32_t (*u)[6]) { return gw_emu::bf16(u[n * 4 + ((k & 7) >> 1)][4 + (k >> 3)], k & 1); });
}

inline uint32_t gw_tf32(float x) {  // cvt.rna.tf32.f32: 10 mantissa bits, ties away from zero
  uint32_t u;
  std::memcpy(&u, &x, 4);
  if ((u & 0x7f800000u) == 0x7f800000u) return u;  // inf, NaN unchanged
  return (u + 0x1000u) & 0xffffe000u;
}

// tf32 m16n8k8: element (row, k) of A sits in lane 4*(row%8) + k%4, register (row/8) + 2*(k/4);
// element (k, n) of B in lane 4n + k%4, register 4 + k/4.
inline void gw_mma_tf32_1688(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
  gw_emu::warp_mma<8>(
      d, a, b0, b1,
      [](int row, int k, uint32_t (*u)[6]) { return gw_emu::tf32_value(u[(row & 7) * 4 + (k & 3)][(row >> 3) + 2 * (k >> 2)]); },
      [](int k, int n, uint32_t (*u)[6]) { return gw_emu::tf32_value(u[n * 4 + (k & 3)][4 + (k >> 2)]); });
}

// Lane 8i + j addresses row j of matrix i; lane 4g + t receives (row g, columns 2t, 2t+1) of each
// matrix, or with trans (rows 2t, 2t+1 of column g).
inline void gw_emu_ldmatrix(uint32_t (&r)[4], const void* smem, bool trans) {
  auto& w = gw_emu::warp();
  int l = gw_emu::lane();
  w.row[l] = static_cast<const uint16_t*>(smem);
  w.bar.arrive_and_wait();
  int g = l >> 2, t = l & 3;
  for (int i = 0; i < 4; i++) {
    uint32_t lo, hi;
    if (!trans) {
      lo = w.row[8 * i + g][2 * t];
      hi = w.row[8 * i + g][2 * t + 1];
    } else {
      lo = w.row[8 * i + 2 * t][g];
      hi = w.row[8 * i + 2 * t + 1][g];
    }
    r[i] = lo | hi << 16;
  }
  w.bar.arrive_and_wait();
}

inline void gw_ldmatrix_x4(uint32_t (&r)[4], const void* smem) { gw_emu_ldmatrix(r, smem, false); }
inline void gw_ldmatrix_x4_trans(uint32_t (&r)[4], const void* smem) { gw_emu_ldmatrix(r, smem, true); }

// cp.async: each thread queues its copies in commit groups, and they land only when a
// cp.async.wait_group lets them (the latest moment the hardware may complete them), so a kernel
// that reads a tile before waiting for it reads stale data here too.
namespace gw_emu {
struct AsyncCopy {
  void* dst;
  const void* src;
  bool valid;
};
inline thread_local std::vector<AsyncCopy> pending;              // issued, not yet committed
inline thread_local std::vector<std::vector<AsyncCopy>> groups;  // committed, oldest first
}  // namespace gw_emu

inline void gw_cp_async16(void* smem, const void* gmem, bool valid) { gw_emu::pending.push_back({smem, gmem, valid}); }

inline void gw_cp_async_commit() {
  gw_emu::groups.push_back(std::move(gw_emu::pending));
  gw_emu::pending.clear();
}

template <int N>
inline void gw_cp_async_wait() {
  while (gw_emu::groups.size() > (size_t)N) {
    for (auto& c : gw_emu::groups.front()) {
      if (c.valid)
        std::memcpy(c.dst, c.src, 16);
      else
        std::memset(c.dst, 0, 16);
    }
    gw_emu::groups.erase(gw_emu::groups.begin());
  }
}

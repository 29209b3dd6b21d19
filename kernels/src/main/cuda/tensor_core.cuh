// Tensor-core, bf16/tf32 and async-copy helpers for the sm_80+ kernels (attention_bf16*.cu,
// matchmap_tf32.cu).
// Each is one PTX instruction whose register layout the kernels depend on, so they are named after
// the instruction and documented with the layout (PTX ISA, "Matrix fragments for mma.m16n8k16"):
//   lane = 4 * g + t  (g = groupID = lane >> 2, t = threadID_in_group = lane & 3)
//   A (16x16, row-major) regs a0..a3, two bf16 each, low half first:
//       a0 = A[g][2t, 2t+1]   a1 = A[g+8][2t, 2t+1]   a2 = A[g][2t+8, 2t+9]   a3 = A[g+8][2t+8, 2t+9]
//   B (16x8, "col": B[k][n]) regs b0, b1:   b0 = B[2t, 2t+1][g]   b1 = B[2t+8, 2t+9][g]
//   C, D (16x8 fp32):   c0, c1 = C[g][2t, 2t+1]   c2, c3 = C[g+8][2t, 2t+1]
// So the C fragments of two adjacent n-tiles, rounded to bf16 and packed in pairs, are exactly the A
// fragment of the next product over those 16 columns (how P = softmax(S) feeds P V without shared memory).
//
// Below the instructions: warp-level tile products built from them, shared by the attention kernels.
//
// Built with -DGW_HOST_EMU by the CPU emulator (kernels/src/test/emu/cuda_emu.h), which defines the
// same functions from these layouts so the kernels can be run and checked without a GPU.
#pragma once
#include <stdint.h>

#ifndef GW_HOST_EMU
#include <cuda_bf16.h>

// Two floats rounded to bf16 (nearest even) and packed: lo in bits 0-15, hi in bits 16-31.
__device__ __forceinline__ uint32_t gw_bf16x2(float lo, float hi) {
  __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
  return *reinterpret_cast<uint32_t*>(&v);
}

// d += a b for one m16n8k16 tile: bf16 inputs, fp32 accumulation (layouts above).
__device__ __forceinline__ void gw_mma_bf16_16816(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
  asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
      : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// x rounded to tf32 (10 mantissa bits, nearest with ties away from zero), as fp32 bits.
__device__ __forceinline__ uint32_t gw_tf32(float x) {
  uint32_t r;
  asm("cvt.rna.tf32.f32 %0, %1;\n" : "=r"(r) : "f"(x));
  return r;
}

// d += a b for one m16n8k8 tile: tf32 inputs (fp32 bits), fp32 accumulation. Layouts differ from
// bf16's: A a0 = A[g][t], a1 = A[g+8][t], a2 = A[g][t+4], a3 = A[g+8][t+4]; B b0 = B[t][g],
// b1 = B[t+4][g]; C as above.
__device__ __forceinline__ void gw_mma_tf32_1688(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
  asm("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
      : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// Four 8x8 bf16 matrices from shared memory: lanes 8i..8i+7 give the addresses of rows 0..7 of
// matrix i (16 contiguous, 16-byte-aligned bytes each); r[i] gets row g, columns 2t and 2t+1 of it.
__device__ __forceinline__ void gw_ldmatrix_x4(uint32_t (&r)[4], const void* smem) {
  uint32_t s = (uint32_t)__cvta_generic_to_shared(smem);
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(s) : "memory");
}

// As gw_ldmatrix_x4 with each matrix transposed: r[i] gets rows 2t and 2t+1 of column g.
__device__ __forceinline__ void gw_ldmatrix_x4_trans(uint32_t (&r)[4], const void* smem) {
  uint32_t s = (uint32_t)__cvta_generic_to_shared(smem);
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(s) : "memory");
}

// 16 bytes global -> shared without passing through registers; zero-filled when !valid (the
// source is then not read, but must still be a mapped address).
__device__ __forceinline__ void gw_cp_async16(void* smem, const void* gmem, bool valid) {
  uint32_t s = (uint32_t)__cvta_generic_to_shared(smem);
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(gmem), "r"(valid ? 16 : 0) : "memory");
}

__device__ __forceinline__ void gw_cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }

// Waits until at most N of this thread's committed copy groups are still in flight.
template <int N>
__device__ __forceinline__ void gw_cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory"); }
#endif

// ------------------------------------------------------------------------- warp-level tile products
// A warp's 16-row operand A lives in registers as KS k-steps of fragments; the other operand B is a
// bf16 tile in shared memory, row-major with row stride LD elements (LD*2 a multiple of 16 bytes, and
// LD = width + 8 keeps ldmatrix free of bank conflicts). NT (n-tiles of 8 columns) must be even: one
// ldmatrix.x4 serves two n-tiles.

// c[16 x 8NT] += a[16 x 16KS] * b^T, b [8NT rows][16KS columns] (b's rows are c's columns: Q K^T).
// Per k-step the x4 load takes b rows +0..7 at columns +0 and +8, then rows +8..15 at +0 and +8.
template <int KS, int NT, int LD>
__device__ __forceinline__ void gw_warp_mma_abt(float (&c)[NT][4], const uint32_t (&a)[KS][4], const uint16_t* b) {
  const int lane = threadIdx.x & 31, mi = lane >> 3, mr = lane & 7;
#pragma unroll
  for (int kk = 0; kk < KS; kk++)
#pragma unroll
    for (int np = 0; np < NT / 2; np++) {
      uint32_t r[4];
      gw_ldmatrix_x4(r, b + (np * 16 + (mi >> 1) * 8 + mr) * LD + kk * 16 + (mi & 1) * 8);
      gw_mma_bf16_16816(c[2 * np], a[kk], r[0], r[1]);
      gw_mma_bf16_16816(c[2 * np + 1], a[kk], r[2], r[3]);
    }
}

// c[16 x 8NT] += a[16 x 16KS] * b, b [16KS rows][8NT columns] (P V). Per k-step the transposing x4
// load takes b rows +0..7 and +8..15 at columns +0, then the same at +8.
template <int KS, int NT, int LD>
__device__ __forceinline__ void gw_warp_mma_ab(float (&c)[NT][4], const uint32_t (&a)[KS][4], const uint16_t* b) {
  const int lane = threadIdx.x & 31, mi = lane >> 3, mr = lane & 7;
#pragma unroll
  for (int kk = 0; kk < KS; kk++)
#pragma unroll
    for (int np = 0; np < NT / 2; np++) {
      uint32_t r[4];
      gw_ldmatrix_x4_trans(r, b + (kk * 16 + (mi & 1) * 8 + mr) * LD + np * 16 + (mi >> 1) * 8);
      gw_mma_bf16_16816(c[2 * np], a[kk], r[0], r[1]);
      gw_mma_bf16_16816(c[2 * np + 1], a[kk], r[2], r[3]);
    }
}

// The fp32 C fragments of a 16 x 16KS tile, rounded to bf16, as the A fragments of a product over
// its columns (two adjacent n-tiles make one k-step).
template <int KS>
__device__ __forceinline__ void gw_frag_c_to_a(uint32_t (&a)[KS][4], const float (&c)[2 * KS][4]) {
#pragma unroll
  for (int n = 0; n < 2 * KS; n++) {
    a[n >> 1][(n & 1) * 2] = gw_bf16x2(c[n][0], c[n][1]);
    a[n >> 1][(n & 1) * 2 + 1] = gw_bf16x2(c[n][2], c[n][3]);
  }
}

// A fragments of 16 rows of a row-major bf16 matrix m (shared or global; row stride ld elements),
// columns 0 .. 16KS; rows g and g+8 read as zeros unless ok0 / ok1.
template <int KS>
__device__ __forceinline__ void gw_frag_a_load(uint32_t (&a)[KS][4], const uint16_t* m, long long ld, bool ok0, bool ok1) {
  const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
  const uint16_t* r0 = m + g * ld + 2 * t;
  const uint16_t* r1 = r0 + 8 * ld;
#pragma unroll
  for (int kk = 0; kk < KS; kk++) {
    a[kk][0] = ok0 ? *reinterpret_cast<const uint32_t*>(r0 + kk * 16) : 0u;
    a[kk][1] = ok1 ? *reinterpret_cast<const uint32_t*>(r1 + kk * 16) : 0u;
    a[kk][2] = ok0 ? *reinterpret_cast<const uint32_t*>(r0 + kk * 16 + 8) : 0u;
    a[kk][3] = ok1 ? *reinterpret_cast<const uint32_t*>(r1 + kk * 16 + 8) : 0u;
  }
}

// What the bf16 attention kernels (attention_bf16.cu forward, attention_bf16_bwd.cu backward) share:
// the block's (batch*head) slice, the key bias in log2 units and the asynchronous tile loader.
#pragma once
#include "common.cuh"
#include "tensor_core.cuh"
#include "attention_drop.cuh"
#include "attention_tiles.cuh"  // GW_ATB_THREADS and the tiles
#define GW_ATB_LOG2E 1.4426950408889634f

// This block's (batch*head) slice: grid y and z together cover B*H (grid y is at most 65535).
__device__ __forceinline__ int gw_atb_bh() { return blockIdx.z * gridDim.y + blockIdx.y; }

// Score bias of key `key` in log2 units: (1 - mask) * maskValue * log2(e), 0 without a mask, and
// -inf at or past Tk (partial last tile), so those keys get probability exactly 0.
__device__ __forceinline__ float gw_atb_bias(const float* mask, int b, int key, int Tk, float maskValue) {
  if (key >= Tk) return -INFINITY;
  if (mask == nullptr) return 0.f;
  return (1.f - mask[(long long)b * Tk + key]) * maskValue * GW_ATB_LOG2E;
}

// Rows [row0, row0 + ROWS) of a row-major [n, D] bf16 matrix into shared memory (row stride LD),
// asynchronously, 16 bytes per copy; rows at or past n are zero-filled.
template <int ROWS, int D, int LD>
__device__ __forceinline__ void gw_atb_load_tile(uint16_t* dst, const uint16_t* __restrict__ src, int row0, int n) {
  constexpr int CH = D / 8;  // 16-byte chunks per row
  for (int e = threadIdx.x; e < ROWS * CH; e += GW_ATB_THREADS) {
    int r = e / CH, c = e - r * CH;
    bool ok = row0 + r < n;
    gw_cp_async16(dst + r * LD + c * 8, ok ? src + (long long)(row0 + r) * D + c * 8 : src, ok);
  }
}

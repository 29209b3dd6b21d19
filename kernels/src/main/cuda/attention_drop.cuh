// Dropout on attention probabilities, shared by the fp32 (attention.cu) and bf16 (attention_bf16*.cu)
// kernels: probability (bh, row, key) of a [BH, Tq, Tk] P draws Philox counter
// offset + (bh*Tq + row)*Tk + key, exactly as the CPU's dropout mask of that tensor does.
#pragma once
#include "common.cuh"

// Dropout on the probabilities: keep probability, 1/keep as float, and the Philox (seed, offset).
struct GwAttDrop {
  double keep;
  float inv;
  unsigned long long seed, offset;
};

__device__ __forceinline__ GwAttDrop gw_att_drop(double keep, unsigned long long seed, unsigned long long offset) {
  GwAttDrop d;
  d.keep = keep;
  d.inv = (float)(1.0 / keep);
  d.seed = seed;
  d.offset = offset;
  return d;
}

// Z of probability (bh, row, key): 1/keep if kept, 0 if dropped. DROP is a template parameter so the
// kernels without dropout compile exactly as before (no Philox code, no extra registers).
template <bool DROP>
__device__ __forceinline__ float gw_att_z(const GwAttDrop& dr, int bh, int row, int key, int Tq, int Tk) {
  if (!DROP) return 1.f;
  long long i = ((long long)bh * Tq + row) * Tk + key;
  return gw_keep(dr.seed, dr.offset, i, dr.keep) ? dr.inv : 0.f;
}

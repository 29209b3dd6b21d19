// Fused multi-head scaled dot-product attention, fp32, FlashAttention-2 style: forward and backward.
// Semantics of dev.groundwork.engine.ops.Attention: for each (b, h), with q [Tq,d], k [Tk,d], v [Tk,d],
//   S = q k^T * scale + bias,  bias[j] = (1 - keyMask[b,j]) * maskValue (0 without a mask),
//   P = softmax_j(S),  O = (P * Z) v,  LSE_i = log sum_j exp(S_ij),
// with inverted dropout Z_ij = keep_ij / keep (Z = 1 when keep = 1), keep_ij the Bernoulli(keep) draw
// of Philox(seed, offset + (bh*Tq + i)*Tk + j): the CPU's dropout mask of the [B,H,Tq,Tk] P tensor.
// Backward: Delta_i = rowsum(dO_i * O_i), P = exp(S - LSE), dV = (P*Z)^T dO, dP = (dO v^T) * Z,
//   dS = P * (dP - Delta), dQ = dS k * scale, dK = dS^T q * scale. The T x T matrices never reach
//   global memory: every kernel recomputes its S tile from q, k (and LSE) in shared memory, and its
//   Z tile from (seed, offset): one Philox4x32-10 per probability (about 40 integer ops next to the
//   4d FFMA of its score and its P v term), skipped entirely when keep = 1.
// All tensors contiguous fp32: q/out/dout/dq [BH,Tq,D], k/v/dk/dv [BH,Tk,D], lse/delta [BH,Tq],
// keyMask [B,Tk] (or null). Head dim D is a template parameter (64 or 96; entry points per D).
// No tensor cores and no TF32: plain FFMA, so results track the CPU reference to ~1e-6.
//
// Launch shape (all kernels 128 threads; grid y*z covers B*H so B*H may exceed 65535, see gw_att_bh):
//   gw_attention_fwd_d{64,96}:     grid (ceil(Tq/64), BH), one block per 64-row query tile. It keeps the
//       Q tile in shared memory and loops over 32-key tiles: S = Q K^T (each thread an 8-row x 2-key
//       register tile; the 16 threads of a half-warp share rows, so row max/sum are 4 shuffles),
//       online softmax (running max m and sum l per row, O rescaled by exp(m_old - m_new)), P to shared,
//       then the V tile is loaded over the K tile and O += P V (each thread 8 rows x D/16 columns in
//       registers). Writes O = acc / l and LSE = m + log l. Shared memory: Q 64*D, K/V 32*(D+4)
//       (padded so the float4 key reads are conflict-free), P 64*32: 45.7 KB at D=96, 33.4 KB at D=64.
//   gw_attention_bwd_preprocess:   grid ceil(BH*Tq/4), one warp per row: Delta = rowsum(dO * O).
//   gw_attention_bwd_dkv_d{64,96}: grid (ceil(Tk/32), BH), one block per 32-key tile, K and V tiles
//       resident; loops over query tiles of BQ rows (BQ = 32 at D=64, 16 at D=96, to stay under 48 KB
//       of static shared memory): recomputes S and dP (one key per lane, BQ/4 rows per warp), P and dS
//       to shared, then dV += P^T dO and dK += dS^T Q with each thread owning 4 keys x D/16 columns
//       of both accumulators in registers. Writes dK (times scale) and dV once, no atomics.
//   gw_attention_bwd_dq_d{64,96}:  grid (ceil(Tq/BQ), BH), one block per query tile, Q, dO, LSE and
//       Delta resident; loops over 32-key tiles, recomputes S, dP and dS, and dQ += dS K (each thread
//       BQ/8 rows x D/16 columns). dQ thus comes from a separate kernel rather than FA2's atomicAdd
//       into a zeroed dQ: it costs a second recompute of S and dP (7 tile products per (q,k) tile pair
//       instead of 5) but needs no memset, no atomics, and is bitwise deterministic.
//
// What bounds the speed: fp32 FFMA issue rate and shared-memory operand bandwidth. Per 4 steps of the
// reduction a forward thread issues 10 LDS.128 for 64 FFMA in S = Q K^T and 20 loads for 192 FFMA in
// O += P V; the backward tiles are smaller (about 1 load per 3-6 FFMA). Global traffic is small
// (each K/V tile is reused by 64 query rows), so the kernels are compute/shared-memory bound, with
// 3-4 resident blocks of 128 threads per SM (limited by registers and shared memory). Tile loads are synchronous
// (no cp.async double buffering); other resident blocks hide their latency. Tensor-core (TF32/bf16)
// versions would be several times faster; they are out of scope here.
// Dropout: each kernel also exists as *_drop_d{64,96} taking (double keep, seed, offset); DROP is a
// template parameter, so the kernels without dropout are unchanged. The _drop variants add the Philox
// per probability: registers fwd 128 / 168 (4 bytes spilled at D=96), dkv 128 / 140, dq 128 / 108.
// Not yet timed on a GPU.
// Measured on an H200 (B=8, H=12, T=512, fp32 FFMA peak about 67 TFLOP/s): forward 0.29 ms at D=64
// (22 TFLOP/s), 0.43 ms at D=96; backward 1.06 ms at D=64, 1.87 ms at D=96 (18-21 TFLOP/s counting
// its 7 tile products). Registers (ptxas, sm_90): fwd 128 (D=64) / 160 (D=96), dkv 128 / 118,
// dq 128 / 100, no spills.
#include "common.cuh"
#include "attention_drop.cuh"
#include "attention_tiles.cuh"

// This block's (batch*head) slice: grid y and z together cover B*H (grid y is at most 65535).
__device__ __forceinline__ int gw_att_bh() { return blockIdx.z * gridDim.y + blockIdx.y; }

// Additive score bias of key `key` of batch b: (1 - mask) * maskValue, 0 without a mask, -inf at or
// past Tk (partial last key tile), so such keys get probability exactly 0.
__device__ __forceinline__ float gw_att_bias(const float* mask, int b, int key, int Tk, float maskValue) {
  if (key >= Tk) return -INFINITY;
  if (mask == nullptr) return 0.f;
  return __fmul_rn(1.f - mask[(long long)b * Tk + key], maskValue);
}

// The score as the CPU computes it: (q.k) * scale, rounded, then + bias, rounded (no FMA contraction).
__device__ __forceinline__ float gw_att_score(float dot, float scale, float bias) {
  return __fadd_rn(__fmul_rn(dot, scale), bias);
}

// Rows [row0, row0 + ROWS) of a row-major [n, D] matrix into shared memory with row stride LD;
// rows at or past n are zero-filled. Coalesced scalar loads (no alignment needs beyond float's).
template <int ROWS, int D, int LD>
__device__ __forceinline__ void gw_att_load(float* dst, const float* __restrict__ src, int row0, int n) {
#pragma unroll 4
  for (int e = threadIdx.x; e < ROWS * D; e += GW_ATT_THREADS) {
    int r = e / D, c = e - r * D;
    int gr = row0 + r;
    dst[r * LD + c] = gr < n ? src[(long long)gr * D + c] : 0.f;
  }
}

__device__ __forceinline__ float gw_att_dot4(float acc, float4 a, float4 b) {
  acc = fmaf(a.x, b.x, acc);
  acc = fmaf(a.y, b.y, acc);
  acc = fmaf(a.z, b.z, acc);
  return fmaf(a.w, b.w, acc);
}

// Component i of a float4; i is a compile-time constant after unrolling.
__device__ __forceinline__ float gw_att_at(float4 v, int i) { return i == 0 ? v.x : i == 1 ? v.y : i == 2 ? v.z : v.w; }

// Max / sum over the 16 lanes of a half-warp (every lane gets the same, bitwise identical, result).
__device__ __forceinline__ float gw_att_half_max(float v) {
#pragma unroll
  for (int o = 8; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

__device__ __forceinline__ float gw_att_half_sum(float v) {
#pragma unroll
  for (int o = 8; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// ------------------------------------------------------------------------------------------ forward

template <int D, bool DROP>
__device__ __forceinline__ void gw_att_fwd(const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                                           const float* __restrict__ mask, float* __restrict__ out, float* __restrict__ lse,
                                           int Tq, int Tk, int H, int BH, float scale, float maskValue, GwAttDrop dr) {
  constexpr int BQ = GW_ATT_BQ, BK = GW_ATT_BK, KS = D + 4, NC = D / 32, RT = 8;  // RT rows per thread
  __shared__ __align__(16) float Qs[BQ * D];    // Q tile, row-major; reads are half-warp broadcasts
  __shared__ __align__(16) float KVs[BK * KS];  // K tile, then V tile (padded rows)
  __shared__ __align__(16) float Ps[BQ * BK];   // P * Z tile (unnormalised, relative to the running max)
  __shared__ float biasS[BK];

  const int bh = gw_att_bh();
  if (bh >= BH) return;
  const int b = bh / H;
  const int q0 = blockIdx.x * BQ;
  const float* qb = q + (long long)bh * Tq * D;
  const float* kb = k + (long long)bh * Tk * D;
  const float* vb = v + (long long)bh * Tk * D;
  const int t = threadIdx.x, g = t >> 4, c = t & 15;  // rows g*8 .. g*8+7; keys c, c+16; cols 32p+2c+{0,1}

  gw_att_load<BQ, D, D>(Qs, qb, q0, Tq);

  float acc[RT][NC][2], m[RT], l[RT];
#pragma unroll
  for (int i = 0; i < RT; i++) {
    m[i] = -INFINITY;
    l[i] = 0.f;
#pragma unroll
    for (int p = 0; p < NC; p++) acc[i][p][0] = acc[i][p][1] = 0.f;
  }

  for (int k0 = 0; k0 < Tk; k0 += BK) {
    __syncthreads();  // the previous tile's P V reads of KVs and Ps are done
    gw_att_load<BK, D, KS>(KVs, kb, k0, Tk);
    if (t < BK) biasS[t] = gw_att_bias(mask, b, k0 + t, Tk, maskValue);
    __syncthreads();

    // S = Q K^T for rows g*8+i and keys c, c+16.
    float s[RT][2];
#pragma unroll
    for (int i = 0; i < RT; i++) s[i][0] = s[i][1] = 0.f;
#pragma unroll 4
    for (int d = 0; d < D; d += 4) {
      float4 ka = *reinterpret_cast<const float4*>(&KVs[c * KS + d]);
      float4 kc = *reinterpret_cast<const float4*>(&KVs[(c + 16) * KS + d]);
#pragma unroll
      for (int i = 0; i < RT; i++) {
        float4 qv = *reinterpret_cast<const float4*>(&Qs[(g * RT + i) * D + d]);
        s[i][0] = gw_att_dot4(s[i][0], qv, ka);
        s[i][1] = gw_att_dot4(s[i][1], qv, kc);
      }
    }

    // Online softmax. Every tile holds at least one key < Tk, whose score is finite, so the new
    // max is finite: alpha = exp(-inf) = 0 on the first tile, and keys past Tk get exp(-inf) = 0.
    const float ba = biasS[c], bc = biasS[c + 16];
#pragma unroll
    for (int i = 0; i < RT; i++) {
      float sa = gw_att_score(s[i][0], scale, ba), sc = gw_att_score(s[i][1], scale, bc);
      float mn = fmaxf(m[i], gw_att_half_max(fmaxf(sa, sc)));
      float alpha = expf(m[i] - mn);
      float pa = expf(sa - mn), pc = expf(sc - mn);
      l[i] = l[i] * alpha + gw_att_half_sum(pa + pc);
      m[i] = mn;
#pragma unroll
      for (int p = 0; p < NC; p++) {
        acc[i][p][0] *= alpha;
        acc[i][p][1] *= alpha;
      }
      // l sums the undropped P (softmax normalises before dropout); only P v sees Z.
      const int row = q0 + g * RT + i;
      Ps[(g * RT + i) * BK + c] = pa * gw_att_z<DROP>(dr, bh, row, k0 + c, Tq, Tk);
      Ps[(g * RT + i) * BK + c + 16] = pc * gw_att_z<DROP>(dr, bh, row, k0 + c + 16, Tq, Tk);
    }
    __syncthreads();  // every thread is done reading K; P is complete
    gw_att_load<BK, D, KS>(KVs, vb, k0, Tk);  // rows past Tk zeroed: 0 * P stays finite
    __syncthreads();

    // O += P V.
#pragma unroll 2
    for (int j = 0; j < BK; j += 4) {
      float4 pr[RT];
#pragma unroll
      for (int i = 0; i < RT; i++) pr[i] = *reinterpret_cast<const float4*>(&Ps[(g * RT + i) * BK + j]);
#pragma unroll
      for (int jj = 0; jj < 4; jj++) {
        float2 vv[NC];
#pragma unroll
        for (int p = 0; p < NC; p++) vv[p] = *reinterpret_cast<const float2*>(&KVs[(j + jj) * KS + 32 * p + 2 * c]);
#pragma unroll
        for (int i = 0; i < RT; i++) {
          float pij = gw_att_at(pr[i], jj);
#pragma unroll
          for (int p = 0; p < NC; p++) {
            acc[i][p][0] = fmaf(pij, vv[p].x, acc[i][p][0]);
            acc[i][p][1] = fmaf(pij, vv[p].y, acc[i][p][1]);
          }
        }
      }
    }
  }

#pragma unroll
  for (int i = 0; i < RT; i++) {
    int r = q0 + g * RT + i;
    if (r < Tq) {
      float inv = 1.f / l[i];  // l >= 1: the max key contributes exp(0)
      float* ob = out + ((long long)bh * Tq + r) * D;
#pragma unroll
      for (int p = 0; p < NC; p++) {
        ob[32 * p + 2 * c] = acc[i][p][0] * inv;
        ob[32 * p + 2 * c + 1] = acc[i][p][1] * inv;
      }
      if (c == 0) lse[(long long)bh * Tq + r] = m[i] + logf(l[i]);
    }
  }
}

// The entry points: for each head dim a plain kernel and a *_drop one taking (keep, seed, offset),
// all launched with GW_ATT_THREADS threads. GW_ATT_ENTRIES(name, D, PTRS, CALL) writes the pair; the
// drop-free kernel passes keep = 1 so the DROP = false template never draws.
#define GW_ATT_SIZES int Tq, int Tk, int H, int BH, float scale, float maskValue
#define GW_ATT_DROP_STATE double keep, unsigned long long seed, unsigned long long offset
#define GW_ATT_ENTRIES(name, D, PTRS, CALL)                                                          \
  extern "C" __global__ void __launch_bounds__(GW_ATT_THREADS) name##_d##D(PTRS, GW_ATT_SIZES) {      \
    CALL(D, false, gw_att_drop(1.0, 0, 0));                                                           \
  }                                                                                                   \
  extern "C" __global__ void __launch_bounds__(GW_ATT_THREADS)                                        \
  name##_drop_d##D(PTRS, GW_ATT_SIZES, GW_ATT_DROP_STATE) {                                           \
    CALL(D, true, gw_att_drop(keep, seed, offset));                                                   \
  }

#define GW_ATT_FWD_PTRS const float* q, const float* k, const float* v, const float* mask, float* out, float* lse
#define GW_ATT_FWD_CALL(D, DROP, drop) \
  gw_att_fwd<D, DROP>(q, k, v, mask, out, lse, Tq, Tk, H, BH, scale, maskValue, drop)
GW_ATT_ENTRIES(gw_attention_fwd, 64, GW_ATT_FWD_PTRS, GW_ATT_FWD_CALL)
GW_ATT_ENTRIES(gw_attention_fwd, 96, GW_ATT_FWD_PTRS, GW_ATT_FWD_CALL)

// ----------------------------------------------------------------------------------------- backward

// Delta[row] = sum_d dO[row, d] * O[row, d] over rows of [rows, d]; one warp per row, blockDim/32 rows a block.
extern "C" __global__ void gw_attention_bwd_preprocess(const float* dout, const float* out, float* delta, int rows, int d) {
  int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), lane = threadIdx.x & 31;
  if (row >= rows) return;  // whole warps leave together
  const float* a = dout + (long long)row * d;
  const float* o = out + (long long)row * d;
  float s = 0.f;
  for (int i = lane; i < d; i += 32) s = fmaf(a[i], o[i], s);
  s = gw_warp_sum(s);
  if (lane == 0) delta[row] = s;
}

// Shared by both backward kernels: for the BQ x 32 tile (query rows q0.., keys k0..), warp w computes
// rows w*BQ/4 .. and lane the key, S and dP~ = dO V^T, then P = exp(S - LSE) and
// dS = P (dP~ Z - Delta); rows at or past Tq get P = dS = 0. Writes dS (and P Z when WITH_P).
template <int D, int BQ, bool WITH_P, bool DROP>
__device__ __forceinline__ void gw_att_bwd_scores(const float* Qs, const float* dOs, const float* Ks, const float* Vs,
                                                  const float* biasS, const float* lseS, const float* deltaS,
                                                  float* Ps, float* dSs, int bh, int q0, int k0, int Tq, int Tk, float scale,
                                                  const GwAttDrop& dr) {
  constexpr int BK = GW_ATT_BK, KS = D + 4, RS = BQ / 4;
  const int w = threadIdx.x >> 5, lane = threadIdx.x & 31;
  float s[RS], dp[RS];
#pragma unroll
  for (int i = 0; i < RS; i++) s[i] = dp[i] = 0.f;
#pragma unroll 4
  for (int d = 0; d < D; d += 4) {
    float4 kv = *reinterpret_cast<const float4*>(&Ks[lane * KS + d]);
    float4 vv = *reinterpret_cast<const float4*>(&Vs[lane * KS + d]);
#pragma unroll
    for (int i = 0; i < RS; i++) {
      float4 qv = *reinterpret_cast<const float4*>(&Qs[(w * RS + i) * D + d]);
      float4 ov = *reinterpret_cast<const float4*>(&dOs[(w * RS + i) * D + d]);
      s[i] = gw_att_dot4(s[i], qv, kv);
      dp[i] = gw_att_dot4(dp[i], ov, vv);
    }
  }
  const float bias = biasS[lane];
#pragma unroll
  for (int i = 0; i < RS; i++) {
    int r = w * RS + i;
    float p = q0 + r < Tq ? expf(gw_att_score(s[i], scale, bias) - lseS[r]) : 0.f;  // keys past Tk: exp(-inf) = 0
    float z = gw_att_z<DROP>(dr, bh, q0 + r, k0 + lane, Tq, Tk);
    if (WITH_P) Ps[r * BK + lane] = p * z;
    dSs[r * BK + lane] = p * (dp[i] * z - deltaS[r]);
  }
}

// Q, dO rows q0.. into shared memory (zero past Tq) with their LSE and Delta (0 past Tq).
template <int D, int BQ>
__device__ __forceinline__ void gw_att_bwd_load_q(float* Qs, float* dOs, float* lseS, float* deltaS,
                                                  const float* qb, const float* dob, const float* lseb, const float* deltab,
                                                  int q0, int Tq) {
  gw_att_load<BQ, D, D>(Qs, qb, q0, Tq);
  gw_att_load<BQ, D, D>(dOs, dob, q0, Tq);
  int t = threadIdx.x;
  if (t < BQ) {
    bool ok = q0 + t < Tq;
    lseS[t] = ok ? lseb[q0 + t] : 0.f;
    deltaS[t] = ok ? deltab[q0 + t] : 0.f;
  }
}

template <int D, int BQ, bool DROP>
__device__ __forceinline__ void gw_att_bwd_dkv(const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                                               const float* __restrict__ mask, const float* __restrict__ dout,
                                               const float* __restrict__ lse, const float* __restrict__ delta,
                                               float* __restrict__ dk, float* __restrict__ dv,
                                               int Tq, int Tk, int H, int BH, float scale, float maskValue, GwAttDrop dr) {
  constexpr int BK = GW_ATT_BK, KS = D + 4, NC = D / 32, KT = 4;  // KT keys per thread
  __shared__ __align__(16) float Ks[BK * KS];
  __shared__ __align__(16) float Vs[BK * KS];
  __shared__ __align__(16) float Qs[BQ * D];
  __shared__ __align__(16) float dOs[BQ * D];
  __shared__ __align__(16) float Ps[BQ * BK];
  __shared__ __align__(16) float dSs[BQ * BK];
  __shared__ float lseS[BQ], deltaS[BQ], biasS[BK];

  const int bh = gw_att_bh();
  if (bh >= BH) return;
  const int b = bh / H;
  const int k0 = blockIdx.x * BK;
  const long long qoff = (long long)bh * Tq, koff = (long long)bh * Tk;
  const int t = threadIdx.x, kg = t >> 4, c = t & 15;  // keys kg*4 .. kg*4+3; cols 32p+2c+{0,1}

  gw_att_load<BK, D, KS>(Ks, k + koff * D, k0, Tk);
  gw_att_load<BK, D, KS>(Vs, v + koff * D, k0, Tk);
  if (t < BK) biasS[t] = gw_att_bias(mask, b, k0 + t, Tk, maskValue);

  float dKa[KT][NC][2], dVa[KT][NC][2];
#pragma unroll
  for (int j = 0; j < KT; j++)
#pragma unroll
    for (int p = 0; p < NC; p++) dKa[j][p][0] = dKa[j][p][1] = dVa[j][p][0] = dVa[j][p][1] = 0.f;

  for (int q0 = 0; q0 < Tq; q0 += BQ) {
    __syncthreads();  // the previous query tile's reads are done
    gw_att_bwd_load_q<D, BQ>(Qs, dOs, lseS, deltaS, q + qoff * D, dout + qoff * D, lse + qoff, delta + qoff, q0, Tq);
    __syncthreads();
    gw_att_bwd_scores<D, BQ, true, DROP>(Qs, dOs, Ks, Vs, biasS, lseS, deltaS, Ps, dSs, bh, q0, k0, Tq, Tk, scale, dr);
    __syncthreads();
    // dV += P^T dO, dK += dS^T Q over the tile's rows.
#pragma unroll 4
    for (int r = 0; r < BQ; r++) {
      float4 pr = *reinterpret_cast<const float4*>(&Ps[r * BK + kg * KT]);
      float4 sr = *reinterpret_cast<const float4*>(&dSs[r * BK + kg * KT]);
      float2 o[NC], qq[NC];
#pragma unroll
      for (int p = 0; p < NC; p++) {
        o[p] = *reinterpret_cast<const float2*>(&dOs[r * D + 32 * p + 2 * c]);
        qq[p] = *reinterpret_cast<const float2*>(&Qs[r * D + 32 * p + 2 * c]);
      }
#pragma unroll
      for (int j = 0; j < KT; j++) {
        float pj = gw_att_at(pr, j), sj = gw_att_at(sr, j);
#pragma unroll
        for (int p = 0; p < NC; p++) {
          dVa[j][p][0] = fmaf(pj, o[p].x, dVa[j][p][0]);
          dVa[j][p][1] = fmaf(pj, o[p].y, dVa[j][p][1]);
          dKa[j][p][0] = fmaf(sj, qq[p].x, dKa[j][p][0]);
          dKa[j][p][1] = fmaf(sj, qq[p].y, dKa[j][p][1]);
        }
      }
    }
  }

#pragma unroll
  for (int j = 0; j < KT; j++) {
    int key = k0 + kg * KT + j;
    if (key < Tk) {
      long long base = (koff + key) * D;
#pragma unroll
      for (int p = 0; p < NC; p++) {
        int col = 32 * p + 2 * c;
        if (dk != nullptr) {
          dk[base + col] = dKa[j][p][0] * scale;
          dk[base + col + 1] = dKa[j][p][1] * scale;
        }
        if (dv != nullptr) {
          dv[base + col] = dVa[j][p][0];
          dv[base + col + 1] = dVa[j][p][1];
        }
      }
    }
  }
}

template <int D, int BQ, bool DROP>
__device__ __forceinline__ void gw_att_bwd_dq(const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                                              const float* __restrict__ mask, const float* __restrict__ dout,
                                              const float* __restrict__ lse, const float* __restrict__ delta,
                                              float* __restrict__ dq, int Tq, int Tk, int H, int BH, float scale, float maskValue,
                                              GwAttDrop dr) {
  constexpr int BK = GW_ATT_BK, KS = D + 4, NC = D / 32, RQ = BQ / 8;  // RQ dQ rows per thread
  __shared__ __align__(16) float Qs[BQ * D];
  __shared__ __align__(16) float dOs[BQ * D];
  __shared__ __align__(16) float Ks[BK * KS];
  __shared__ __align__(16) float Vs[BK * KS];
  __shared__ __align__(16) float dSs[BQ * BK];
  __shared__ float lseS[BQ], deltaS[BQ], biasS[BK];

  const int bh = gw_att_bh();
  if (bh >= BH) return;
  const int b = bh / H;
  const int q0 = blockIdx.x * BQ;
  const long long qoff = (long long)bh * Tq, koff = (long long)bh * Tk;
  const int t = threadIdx.x, rg = t >> 4, c = t & 15;  // rows rg*RQ ..; cols 32p+2c+{0,1}

  gw_att_bwd_load_q<D, BQ>(Qs, dOs, lseS, deltaS, q + qoff * D, dout + qoff * D, lse + qoff, delta + qoff, q0, Tq);

  float dQa[RQ][NC][2];
#pragma unroll
  for (int i = 0; i < RQ; i++)
#pragma unroll
    for (int p = 0; p < NC; p++) dQa[i][p][0] = dQa[i][p][1] = 0.f;

  for (int k0 = 0; k0 < Tk; k0 += BK) {
    __syncthreads();  // the previous key tile's reads are done
    gw_att_load<BK, D, KS>(Ks, k + koff * D, k0, Tk);
    gw_att_load<BK, D, KS>(Vs, v + koff * D, k0, Tk);
    if (t < BK) biasS[t] = gw_att_bias(mask, b, k0 + t, Tk, maskValue);
    __syncthreads();
    gw_att_bwd_scores<D, BQ, false, DROP>(Qs, dOs, Ks, Vs, biasS, lseS, deltaS, nullptr, dSs, bh, q0, k0, Tq, Tk, scale, dr);
    __syncthreads();
    // dQ += dS K over the tile's keys.
#pragma unroll 2
    for (int j = 0; j < BK; j += 4) {
      float4 sr[RQ];
#pragma unroll
      for (int i = 0; i < RQ; i++) sr[i] = *reinterpret_cast<const float4*>(&dSs[(rg * RQ + i) * BK + j]);
#pragma unroll
      for (int jj = 0; jj < 4; jj++) {
        float2 kk[NC];
#pragma unroll
        for (int p = 0; p < NC; p++) kk[p] = *reinterpret_cast<const float2*>(&Ks[(j + jj) * KS + 32 * p + 2 * c]);
#pragma unroll
        for (int i = 0; i < RQ; i++) {
          float sij = gw_att_at(sr[i], jj);
#pragma unroll
          for (int p = 0; p < NC; p++) {
            dQa[i][p][0] = fmaf(sij, kk[p].x, dQa[i][p][0]);
            dQa[i][p][1] = fmaf(sij, kk[p].y, dQa[i][p][1]);
          }
        }
      }
    }
  }

#pragma unroll
  for (int i = 0; i < RQ; i++) {
    int r = q0 + rg * RQ + i;
    if (r < Tq) {
      float* o = dq + (qoff + r) * D;
#pragma unroll
      for (int p = 0; p < NC; p++) {
        o[32 * p + 2 * c] = dQa[i][p][0] * scale;
        o[32 * p + 2 * c + 1] = dQa[i][p][1] * scale;
      }
    }
  }
}

#define GW_ATT_BWD_IN const float* q, const float* k, const float* v, const float* mask, const float* dout, \
                      const float* lse, const float* delta
#define GW_ATT_DKV_PTRS GW_ATT_BWD_IN, float* dk, float* dv
#define GW_ATT_DKV_CALL(D, DROP, drop) gw_att_bwd_dkv<D, GW_ATT_BWD_BQ_D##D, DROP>( \
    q, k, v, mask, dout, lse, delta, dk, dv, Tq, Tk, H, BH, scale, maskValue, drop)
GW_ATT_ENTRIES(gw_attention_bwd_dkv, 64, GW_ATT_DKV_PTRS, GW_ATT_DKV_CALL)
GW_ATT_ENTRIES(gw_attention_bwd_dkv, 96, GW_ATT_DKV_PTRS, GW_ATT_DKV_CALL)

#define GW_ATT_DQ_PTRS GW_ATT_BWD_IN, float* dq
#define GW_ATT_DQ_CALL(D, DROP, drop) gw_att_bwd_dq<D, GW_ATT_BWD_BQ_D##D, DROP>( \
    q, k, v, mask, dout, lse, delta, dq, Tq, Tk, H, BH, scale, maskValue, drop)
GW_ATT_ENTRIES(gw_attention_bwd_dq, 64, GW_ATT_DQ_PTRS, GW_ATT_DQ_CALL)
GW_ATT_ENTRIES(gw_attention_bwd_dq, 96, GW_ATT_DQ_PTRS, GW_ATT_DQ_CALL)

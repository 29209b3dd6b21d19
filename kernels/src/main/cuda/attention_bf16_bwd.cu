// Backward of the tensor-core attention forward (attention_bf16.cu): bf16 q, k, v, out and dout,
// fp32 lse; fp32 gradients dq, dk, dv. Same math as attention.cu's backward:
//   Delta_i = rowsum(dO_i * O_i),  P = exp(S - LSE),  dV = (P Z)^T dO,  dP = (dO V^T) Z,
//   dS = P (dP - Delta),  with Z the dropout factors (1 without dropout; *_drop kernels regenerate it),
//   dQ = dS K * scale,  dK = dS^T Q * scale,
// with every product on mma.m16n8k16 (bf16 operands, fp32 accumulation): P and dS are rounded to bf16
// as the A operands of their products, as FlashAttention-2 does. Layouts: q/out/dout [BH,Tq,D] bf16,
// k/v [BH,Tk,D] bf16, lse/delta [BH,Tq] fp32, keyMask [B,Tk] fp32 or null, dq [BH,Tq,D] and dk/dv
// [BH,Tk,D] fp32. D = 64 or 96.
//
// Launch shape (128 threads = 4 warps; grid y*z covers BH):
//   gw_attention_bf16_bwd_preprocess: grid ceil(BH*Tq/4), one warp per row: Delta from bf16 dO and O.
//   gw_attention_bf16_bwd_dkv_d{64,96}: grid (ceil(Tk/64), BH). Each warp owns 16 keys, whose K and V
//       A fragments it loads once from global memory; the block loops over query tiles of BQ rows
//       (64 at D=64, 32 at D=96 to stay within the registers), Q and dO tiles in shared memory by
//       cp.async, LSE and Delta beside them. Per tile a warp computes S^T = K Q^T and dP^T = V dO^T
//       (16 x BQ each), P^T and dS^T in registers, then dV += P^T dO and dK += dS^T Q, both B operands
//       by ldmatrix.trans from the same tiles. dK (times scale) and dV are written once, no atomics.
//   gw_attention_bf16_bwd_dq_d{64,96}: grid (ceil(Tq/64), BH). Each warp owns 16 query rows (Q and dO
//       fragments in registers, LSE and Delta per row); per 64-key tile (K, V by cp.async) it computes
//       S = Q K^T, dP = dO V^T, dS, and dQ += dS K. As in attention.cu, dQ has its own kernel instead
//       of FA2's atomicAdd: S and dP are recomputed (7 tile products per tile pair instead of 5), but
//       no memset, no atomics, deterministic.
// Shared memory: dkv 2 x BQ x (D+8) bf16 + 2 BQ floats (18.9 KB at D=64, 13.6 KB at D=96); dq 2 x 64 x
// (D+8) bf16 + 64 floats (18.7 KB, 26.9 KB). Single-buffered: resident blocks hide the load latency.
// Registers (ptxas, sm_90): dkv 169 (D=64) / 236 (D=96), dq 132 / 234, no spills; the _drop variants
// (one Philox4x32-10 per probability, interleaved by the compiler) reach 192-255, and dkv_drop_d64
// and dq_drop_d96 spill 32 and 24 bytes. Warps whose 16 keys (dkv) or rows (dq) all lie past the
// end skip the math but not the barriers.
// What bounds it: mma issue, and one exp2 per score per kernel. Not yet run on a GPU: checked on the
// CPU by kernels/src/test/emu against the engine's attention on bf16-rounded inputs.
#include "attention_bf16.cuh"  // with attention_tiles.cuh: GW_ATB_BWD_BK, GW_ATB_BWD_BQ_D*, GW_ATB_DQ_BQ

// Delta[row] = sum_d dO[row, d] * O[row, d] over rows of bf16 [rows, d]; one warp per row.
extern "C" __global__ void gw_attention_bf16_bwd_preprocess(const uint16_t* dout, const uint16_t* out, float* delta, int rows, int d) {
  int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), lane = threadIdx.x & 31;
  if (row >= rows) return;  // whole warps leave together
  const uint32_t* a = reinterpret_cast<const uint32_t*>(dout + (long long)row * d);
  const uint32_t* o = reinterpret_cast<const uint32_t*>(out + (long long)row * d);
  float s = 0.f;
  for (int i = lane; i < d / 2; i += 32) {
    uint32_t x = a[i], y = o[i];
    s = fmaf(__uint_as_float(x << 16), __uint_as_float(y << 16), s);
    s = fmaf(__uint_as_float(x & 0xffff0000u), __uint_as_float(y & 0xffff0000u), s);
  }
  s = gw_warp_sum(s);
  if (lane == 0) delta[row] = s;
}

template <int D, int BQ, bool DROP>
__device__ __forceinline__ void gw_atb_bwd_dkv(const uint16_t* __restrict__ q, const uint16_t* __restrict__ k,
                                               const uint16_t* __restrict__ v, const float* __restrict__ mask,
                                               const uint16_t* __restrict__ dout, const float* __restrict__ lse,
                                               const float* __restrict__ delta, float* __restrict__ dk, float* __restrict__ dv,
                                               int Tq, int Tk, int H, int BH, float scale, float maskValue, GwAttDrop dr) {
  constexpr int BK = GW_ATB_BWD_BK, LD = D + 8, KD = D / 16, ND = D / 8, NQ = BQ / 8;
  __shared__ __align__(16) uint16_t Qs[BQ * LD];
  __shared__ __align__(16) uint16_t dOs[BQ * LD];
  __shared__ float lseS[BQ];    // LSE in log2 units; +inf past Tq, so those queries get P = 0
  __shared__ float deltaS[BQ];

  const int bh = gw_atb_bh();
  if (bh >= BH) return;
  const int b = bh / H, tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, g = lane >> 2, t = lane & 3;
  const int key0 = blockIdx.x * BK + warp * 16;  // this warp's keys: key0 + g and key0 + g + 8
  const float sl2 = scale * GW_ATB_LOG2E;
  const long long qoff = (long long)bh * Tq, koff = (long long)bh * Tk;

  uint32_t kf[KD][4], vf[KD][4];
  gw_frag_a_load<KD>(kf, k + (koff + key0) * D, D, key0 + g < Tk, key0 + g + 8 < Tk);
  gw_frag_a_load<KD>(vf, v + (koff + key0) * D, D, key0 + g < Tk, key0 + g + 8 < Tk);
  const float bias0 = gw_atb_bias(mask, b, key0 + g, Tk, maskValue), bias1 = gw_atb_bias(mask, b, key0 + g + 8, Tk, maskValue);

  float dka[ND][4], dva[ND][4];
#pragma unroll
  for (int n = 0; n < ND; n++)
#pragma unroll
    for (int c = 0; c < 4; c++) dka[n][c] = dva[n][c] = 0.f;

  for (int q0 = 0; q0 < Tq; q0 += BQ) {
    gw_atb_load_tile<BQ, D, LD>(Qs, q + qoff * D, q0, Tq);
    gw_atb_load_tile<BQ, D, LD>(dOs, dout + qoff * D, q0, Tq);
    gw_cp_async_commit();
    if (tid < BQ) {
      bool ok = q0 + tid < Tq;
      lseS[tid] = ok ? lse[qoff + q0 + tid] * GW_ATB_LOG2E : INFINITY;
      deltaS[tid] = ok ? delta[qoff + q0 + tid] : 0.f;
    }
    gw_cp_async_wait<0>();
    __syncthreads();

    if (key0 < Tk) {  // a warp whose 16 keys all lie past Tk skips the math, not the barriers
      // S^T = K Q^T and dP^T = V dO^T: rows are this warp's keys, columns the tile's queries 8n + 2t + {0,1}.
      float st[NQ][4], dpt[NQ][4];
#pragma unroll
      for (int n = 0; n < NQ; n++)
#pragma unroll
        for (int c = 0; c < 4; c++) st[n][c] = dpt[n][c] = 0.f;
      gw_warp_mma_abt<KD, NQ, LD>(st, kf, Qs);
      gw_warp_mma_abt<KD, NQ, LD>(dpt, vf, dOs);
#pragma unroll
      for (int n = 0; n < NQ; n++)
#pragma unroll
        for (int c = 0; c < 4; c++) {
          int col = n * 8 + 2 * t + (c & 1);
          float p = exp2f(st[n][c] * sl2 + (c < 2 ? bias0 : bias1) - lseS[col]);
          float z = gw_att_z<DROP>(dr, bh, q0 + col, key0 + g + (c >> 1) * 8, Tq, Tk);
          st[n][c] = p * z;                              // (P Z)^T
          dpt[n][c] = p * (dpt[n][c] * z - deltaS[col]);  // dS^T
        }
      uint32_t pf[BQ / 16][4], sf[BQ / 16][4];
      gw_frag_c_to_a<BQ / 16>(pf, st);
      gw_frag_c_to_a<BQ / 16>(sf, dpt);
      gw_warp_mma_ab<BQ / 16, ND, LD>(dva, pf, dOs);  // dV += P^T dO
      gw_warp_mma_ab<BQ / 16, ND, LD>(dka, sf, Qs);   // dK += dS^T Q
    }
    __syncthreads();  // every warp is done with the tile before it is refilled
  }

  const int r0 = key0 + g, r1 = r0 + 8;
#pragma unroll
  for (int n = 0; n < ND; n++) {
    int col = n * 8 + 2 * t;
    if (r0 < Tk) {
      if (dk != nullptr) *reinterpret_cast<float2*>(dk + (koff + r0) * D + col) = make_float2(dka[n][0] * scale, dka[n][1] * scale);
      if (dv != nullptr) *reinterpret_cast<float2*>(dv + (koff + r0) * D + col) = make_float2(dva[n][0], dva[n][1]);
    }
    if (r1 < Tk) {
      if (dk != nullptr) *reinterpret_cast<float2*>(dk + (koff + r1) * D + col) = make_float2(dka[n][2] * scale, dka[n][3] * scale);
      if (dv != nullptr) *reinterpret_cast<float2*>(dv + (koff + r1) * D + col) = make_float2(dva[n][2], dva[n][3]);
    }
  }
}

template <int D, bool DROP>
__device__ __forceinline__ void gw_atb_bwd_dq(const uint16_t* __restrict__ q, const uint16_t* __restrict__ k,
                                              const uint16_t* __restrict__ v, const float* __restrict__ mask,
                                              const uint16_t* __restrict__ dout, const float* __restrict__ lse,
                                              const float* __restrict__ delta, float* __restrict__ dq,
                                              int Tq, int Tk, int H, int BH, float scale, float maskValue, GwAttDrop dr) {
  constexpr int BQ = GW_ATB_DQ_BQ, BK = GW_ATB_BWD_BK, LD = D + 8, KD = D / 16, ND = D / 8, NS = BK / 8;
  __shared__ __align__(16) uint16_t Ks[BK * LD];
  __shared__ __align__(16) uint16_t Vs[BK * LD];
  __shared__ float Bs[BK];

  const int bh = gw_atb_bh();
  if (bh >= BH) return;
  const int b = bh / H, tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, g = lane >> 2, t = lane & 3;
  const int row0 = blockIdx.x * BQ + warp * 16 + g, row1 = row0 + 8;
  const bool ok0 = row0 < Tq, ok1 = row1 < Tq;
  const float sl2 = scale * GW_ATB_LOG2E;
  const long long qoff = (long long)bh * Tq, koff = (long long)bh * Tk;
  const int wrow = blockIdx.x * BQ + warp * 16;  // the warp's first row

  uint32_t qf[KD][4], df[KD][4];
  gw_frag_a_load<KD>(qf, q + (qoff + wrow) * D, D, ok0, ok1);
  gw_frag_a_load<KD>(df, dout + (qoff + wrow) * D, D, ok0, ok1);
  const float lse0 = ok0 ? lse[qoff + row0] * GW_ATB_LOG2E : INFINITY, lse1 = ok1 ? lse[qoff + row1] * GW_ATB_LOG2E : INFINITY;
  const float dl0 = ok0 ? delta[qoff + row0] : 0.f, dl1 = ok1 ? delta[qoff + row1] : 0.f;

  float dqa[ND][4];
#pragma unroll
  for (int n = 0; n < ND; n++) dqa[n][0] = dqa[n][1] = dqa[n][2] = dqa[n][3] = 0.f;

  for (int k0 = 0; k0 < Tk; k0 += BK) {
    gw_atb_load_tile<BK, D, LD>(Ks, k + koff * D, k0, Tk);
    gw_atb_load_tile<BK, D, LD>(Vs, v + koff * D, k0, Tk);
    gw_cp_async_commit();
    if (tid < BK) Bs[tid] = gw_atb_bias(mask, b, k0 + tid, Tk, maskValue);
    gw_cp_async_wait<0>();
    __syncthreads();

    if (wrow < Tq) {  // a warp whose 16 rows all lie past Tq skips the math, not the barriers
      float s[NS][4], dp[NS][4];
#pragma unroll
      for (int n = 0; n < NS; n++)
#pragma unroll
        for (int c = 0; c < 4; c++) s[n][c] = dp[n][c] = 0.f;
      gw_warp_mma_abt<KD, NS, LD>(s, qf, Ks);   // S = Q K^T
      gw_warp_mma_abt<KD, NS, LD>(dp, df, Vs);  // dP = dO V^T
#pragma unroll
      for (int n = 0; n < NS; n++)
#pragma unroll
        for (int c = 0; c < 4; c++) {
          int key = k0 + n * 8 + 2 * t + (c & 1);
          float p = exp2f(s[n][c] * sl2 + Bs[n * 8 + 2 * t + (c & 1)] - (c < 2 ? lse0 : lse1));
          float z = gw_att_z<DROP>(dr, bh, c < 2 ? row0 : row1, key, Tq, Tk);
          dp[n][c] = p * (dp[n][c] * z - (c < 2 ? dl0 : dl1));  // dS
        }
      uint32_t sf[BK / 16][4];
      gw_frag_c_to_a<BK / 16>(sf, dp);
      gw_warp_mma_ab<BK / 16, ND, LD>(dqa, sf, Ks);  // dQ += dS K
    }
    __syncthreads();  // every warp is done with the tile before it is refilled
  }

#pragma unroll
  for (int n = 0; n < ND; n++) {
    int col = n * 8 + 2 * t;
    if (ok0) *reinterpret_cast<float2*>(dq + (qoff + row0) * D + col) = make_float2(dqa[n][0] * scale, dqa[n][1] * scale);
    if (ok1) *reinterpret_cast<float2*>(dq + (qoff + row1) * D + col) = make_float2(dqa[n][2] * scale, dqa[n][3] * scale);
  }
}

#define GW_ATB_BWD_IN const uint16_t *q, const uint16_t *k, const uint16_t *v, const float *mask, const uint16_t *dout, \
                      const float *lse, const float *delta
#define GW_ATB_BWD_SIZES int Tq, int Tk, int H, int BH, float scale, float maskValue
#define GW_ATB_DROP_STATE double keep, unsigned long long seed, unsigned long long offset
// Per head dim: dkv and dq, each plain and *_drop (DROP a template parameter, as in attention.cu).
#define GW_ATB_BWD_ENTRIES(D)                                                                                              \
  extern "C" __global__ void __launch_bounds__(GW_ATB_THREADS)                                                            \
      gw_attention_bf16_bwd_dkv_d##D(GW_ATB_BWD_IN, float* dk, float* dv, GW_ATB_BWD_SIZES) {                              \
    gw_atb_bwd_dkv<D, GW_ATB_BWD_BQ_D##D, false>(q, k, v, mask, dout, lse, delta, dk, dv, Tq, Tk, H, BH, scale, maskValue, \
                                                 gw_att_drop(1.0, 0, 0));                                                  \
  }                                                                                                                        \
  extern "C" __global__ void __launch_bounds__(GW_ATB_THREADS)                                                            \
      gw_attention_bf16_bwd_dkv_drop_d##D(GW_ATB_BWD_IN, float* dk, float* dv, GW_ATB_BWD_SIZES, GW_ATB_DROP_STATE) {      \
    gw_atb_bwd_dkv<D, GW_ATB_BWD_BQ_D##D, true>(q, k, v, mask, dout, lse, delta, dk, dv, Tq, Tk, H, BH, scale, maskValue,  \
                                                gw_att_drop(keep, seed, offset));                                          \
  }                                                                                                                        \
  extern "C" __global__ void __launch_bounds__(GW_ATB_THREADS)                                                            \
      gw_attention_bf16_bwd_dq_d##D(GW_ATB_BWD_IN, float* dq, GW_ATB_BWD_SIZES) {                                          \
    gw_atb_bwd_dq<D, false>(q, k, v, mask, dout, lse, delta, dq, Tq, Tk, H, BH, scale, maskValue, gw_att_drop(1.0, 0, 0)); \
  }                                                                                                                        \
  extern "C" __global__ void __launch_bounds__(GW_ATB_THREADS)                                                            \
      gw_attention_bf16_bwd_dq_drop_d##D(GW_ATB_BWD_IN, float* dq, GW_ATB_BWD_SIZES, GW_ATB_DROP_STATE) {                  \
    gw_atb_bwd_dq<D, true>(q, k, v, mask, dout, lse, delta, dq, Tq, Tk, H, BH, scale, maskValue,                          \
                           gw_att_drop(keep, seed, offset));                                                               \
  }
GW_ATB_BWD_ENTRIES(64)
GW_ATB_BWD_ENTRIES(96)

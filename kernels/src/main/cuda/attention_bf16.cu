// Fused multi-head attention forward on tensor cores: bf16 q, k, v, fp32 accumulation and softmax,
// bf16 output (what torch's scaled_dot_product_attention computes under bf16), FlashAttention-2 style.
// Semantics of attention.cu's forward, for each (b, h):
//   S = q k^T * scale + (1 - keyMask[b,j]) * maskValue,  O = softmax_j(S) v,  LSE_i = log sum_j exp(S_ij).
// Tensors contiguous: q/out [BH,Tq,D] bf16, k/v [BH,Tk,D] bf16, lse [BH,Tq] fp32, keyMask [B,Tk]
// fp32 or null. D = 64 or 96 (entry points per D). Its backward is attention_bf16_bwd.cu. The *_drop
// kernels add inverted dropout on the probabilities, O = (P * Z) v, Z regenerated from Philox
// (attention_drop.cuh) as in attention.cu; LSE and the row sums stay those of P before dropout.
//
// Algorithm and launch: grid (ceil(Tq/64), BH over y*z), 128 threads = 4 warps; each warp owns 16
// query rows of the block's 64, whose Q fragments it keeps in registers for the whole key loop.
// Per 64-key tile: S (16x64 per warp) = Q K^T by mma.m16n8k16 (K fragments by ldmatrix from the
// tile in shared memory), scaled into log2 units and biased; the online softmax keeps the running
// row max m and a per-thread partial row sum l (reduced over the 4 threads of a row once, at the end;
// FA2's deferred normalisation); P = exp2(S - m) is rounded to bf16 and repacked in registers as the
// A fragment of O += P V (V fragments by ldmatrix.trans, so V needs no transposed copy).
// Pipelining: K and V have one shared buffer each, filled by cp.async: V(j) lands while S(j) is
// computed, K(j+1) while P(j) V(j) is. Shared memory per block: Q, K, V tiles of 64 x (D+8) bf16
// (rows padded by 16 bytes so ldmatrix and the Q fragment loads are free of bank conflicts) and
// 64 biases: 27.9 KB at D=64, 40.2 KB at D=96.
// Numerics against the fp32 kernel: Q K^T is exact products of bf16 inputs summed in fp32; P is
// rounded to bf16 for P V (the row sum l uses the fp32 P, as FA2 does); O is rounded to bf16 once.
//
// What bounds it: the tensor-core issue rate of mma.sync and, next to it, exp2 on the SFU (one per
// score: at D=64 the 16x64 S tile of a warp costs 1024 exp2 against 64 mma), plus ldmatrix
// bandwidth (512 bytes per pair of mma). Global traffic is small: every K/V tile serves 64 rows.
// Registers (ptxas, sm_90): 122 (D=64) / 138 (D=96), _drop 126 / 166, no spills. Warps whose 16
// rows all lie past Tq (Tq = 32: half the block) skip the math but not the barriers.
// Not yet run on a GPU: checked on the CPU by kernels/src/test/emu (the CUDA operations emulated from
// their PTX ISA definitions) against the engine's attention on bf16-rounded inputs.
#include "attention_bf16.cuh"  // with attention_tiles.cuh: GW_ATB_BQ, GW_ATB_BK

template <int D, bool DROP>
__device__ __forceinline__ void gw_atb_fwd(const uint16_t* __restrict__ q, const uint16_t* __restrict__ k,
                                           const uint16_t* __restrict__ v, const float* __restrict__ mask,
                                           uint16_t* __restrict__ out, float* __restrict__ lse,
                                           int Tq, int Tk, int H, int BH, float scale, float maskValue, GwAttDrop dr) {
  constexpr int BQ = GW_ATB_BQ, BK = GW_ATB_BK, LD = D + 8;
  constexpr int KD = D / 16;  // k-steps of Q K^T
  constexpr int ND = D / 8;   // n-tiles of O
  constexpr int NS = BK / 8;  // n-tiles of S
  __shared__ __align__(16) uint16_t Qs[BQ * LD];
  __shared__ __align__(16) uint16_t Ks[BK * LD];
  __shared__ __align__(16) uint16_t Vs[BK * LD];
  __shared__ float Bs[BK];

  const int bh = gw_atb_bh();
  if (bh >= BH) return;
  const int b = bh / H, q0 = blockIdx.x * BQ;
  const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, g = lane >> 2, t = lane & 3;
  const int row0 = q0 + warp * 16 + g, row1 = row0 + 8;  // this thread's two query rows
  const bool active = q0 + warp * 16 < Tq;                // warp-uniform
  const float sl2 = scale * GW_ATB_LOG2E;
  const uint16_t* kb = k + (long long)bh * Tk * D;
  const uint16_t* vb = v + (long long)bh * Tk * D;

  {  // Q tile, once per block (plain 16-byte loads; the first barrier of the loop publishes it)
    const uint16_t* qb = q + (long long)bh * Tq * D;
    constexpr int CH = D / 8;
    for (int e = tid; e < BQ * CH; e += GW_ATB_THREADS) {
      int r = e / CH, c = e - r * CH;
      uint4 val = make_uint4(0u, 0u, 0u, 0u);
      if (q0 + r < Tq) val = *reinterpret_cast<const uint4*>(qb + (long long)(q0 + r) * D + c * 8);
      *reinterpret_cast<uint4*>(Qs + r * LD + c * 8) = val;
    }
  }
  gw_atb_load_tile<BK, D, LD>(Ks, kb, 0, Tk);
  gw_cp_async_commit();
  gw_atb_load_tile<BK, D, LD>(Vs, vb, 0, Tk);
  gw_cp_async_commit();
  if (tid < BK) Bs[tid] = gw_atb_bias(mask, b, tid, Tk, maskValue);

  uint32_t qf[KD][4];
  float o[ND][4];
#pragma unroll
  for (int n = 0; n < ND; n++) o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.f;
  float m[2] = {-INFINITY, -INFINITY}, l[2] = {0.f, 0.f};  // rows g and g+8 of this warp

  const int ntiles = (Tk + BK - 1) / BK;
  for (int j = 0; j < ntiles; j++) {
    gw_cp_async_wait<1>();  // K(j) has landed (V(j) may still be in flight)
    __syncthreads();
    uint32_t pf[BK / 16][4];  // P as the A fragments of P V, one per 16-key k-step
    if (active) {  // a warp whose 16 rows all lie past Tq skips the math, not the barriers
      if (j == 0) gw_frag_a_load<KD>(qf, Qs + warp * 16 * LD, LD, true, true);

      // S = Q K^T (K fragments by ldmatrix from the tile)
      float s[NS][4];
#pragma unroll
      for (int n = 0; n < NS; n++) s[n][0] = s[n][1] = s[n][2] = s[n][3] = 0.f;
      gw_warp_mma_abt<KD, NS, LD>(s, qf, Ks);

      // Online softmax in log2 units; thread (g, t) holds keys 8n + 2t + {0, 1} of rows g and g+8.
      float mx[2] = {m[0], m[1]};
#pragma unroll
      for (int n = 0; n < NS; n++)
#pragma unroll
        for (int c = 0; c < 4; c++) {
          float x = s[n][c] * sl2 + Bs[n * 8 + 2 * t + (c & 1)];
          s[n][c] = x;
          mx[c >> 1] = fmaxf(mx[c >> 1], x);
        }
      float alpha[2];
#pragma unroll
      for (int r = 0; r < 2; r++) {
        mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 1));
        mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 2));
        alpha[r] = exp2f(m[r] - mx[r]);  // 0 on the first tile (m = -inf); the tile's key 0 is < Tk, so mx is finite
        m[r] = mx[r];
        l[r] *= alpha[r];
      }
#pragma unroll
      for (int n = 0; n < ND; n++) {
        o[n][0] *= alpha[0];
        o[n][1] *= alpha[0];
        o[n][2] *= alpha[1];
        o[n][3] *= alpha[1];
      }
#pragma unroll
      for (int n = 0; n < NS; n++) {
        s[n][0] = exp2f(s[n][0] - m[0]);
        s[n][1] = exp2f(s[n][1] - m[0]);
        s[n][2] = exp2f(s[n][2] - m[1]);
        s[n][3] = exp2f(s[n][3] - m[1]);
        l[0] += s[n][0] + s[n][1];  // l sums the probabilities before dropout
        l[1] += s[n][2] + s[n][3];
        if (DROP) {
          int key = j * BK + n * 8 + 2 * t;
          s[n][0] *= gw_att_z<DROP>(dr, bh, row0, key, Tq, Tk);
          s[n][1] *= gw_att_z<DROP>(dr, bh, row0, key + 1, Tq, Tk);
          s[n][2] *= gw_att_z<DROP>(dr, bh, row1, key, Tq, Tk);
          s[n][3] *= gw_att_z<DROP>(dr, bh, row1, key + 1, Tq, Tk);
        }
      }
      gw_frag_c_to_a<BK / 16>(pf, s);
    }

    gw_cp_async_wait<0>();  // V(j) has landed
    __syncthreads();        // ... for every thread; and every warp is done with K(j) and Bs(j)
    if (j + 1 < ntiles) {
      gw_atb_load_tile<BK, D, LD>(Ks, kb, (j + 1) * BK, Tk);
      gw_cp_async_commit();
      if (tid < BK) Bs[tid] = gw_atb_bias(mask, b, (j + 1) * BK + tid, Tk, maskValue);
    }

    // O += P V (V fragments by ldmatrix.trans: V needs no transposed copy)
    if (active) gw_warp_mma_ab<BK / 16, ND, LD>(o, pf, Vs);
    __syncthreads();  // every warp is done with V(j)
    if (j + 1 < ntiles) {
      gw_atb_load_tile<BK, D, LD>(Vs, vb, (j + 1) * BK, Tk);
      gw_cp_async_commit();
    }
  }

  // Epilogue: full row sums over the row's 4 threads, O / l to bf16, LSE = ln 2 * (m + log2 l).
#pragma unroll
  for (int r = 0; r < 2; r++) {
    l[r] += __shfl_xor_sync(0xffffffffu, l[r], 1);
    l[r] += __shfl_xor_sync(0xffffffffu, l[r], 2);
  }
  const float inv0 = 1.f / l[0], inv1 = 1.f / l[1];
  uint16_t* ob = out + (long long)bh * Tq * D;
#pragma unroll
  for (int n = 0; n < ND; n++) {
    int col = n * 8 + 2 * t;
    if (row0 < Tq) *reinterpret_cast<uint32_t*>(ob + (long long)row0 * D + col) = gw_bf16x2(o[n][0] * inv0, o[n][1] * inv0);
    if (row1 < Tq) *reinterpret_cast<uint32_t*>(ob + (long long)row1 * D + col) = gw_bf16x2(o[n][2] * inv1, o[n][3] * inv1);
  }
  if (t == 0) {
    const float LN2 = 0.6931471805599453f;
    if (row0 < Tq) lse[(long long)bh * Tq + row0] = (m[0] + log2f(l[0])) * LN2;
    if (row1 < Tq) lse[(long long)bh * Tq + row1] = (m[1] + log2f(l[1])) * LN2;
  }
}

// Entry points per head dim: plain, and *_drop taking (keep, seed, offset) (DROP is a template
// parameter, so the plain kernels carry no Philox code).
#define GW_ATB_FWD_ARGS const uint16_t *q, const uint16_t *k, const uint16_t *v, const float *mask, uint16_t *out, float *lse, \
                        int Tq, int Tk, int H, int BH, float scale, float maskValue
#define GW_ATB_ENTRY(D)                                                                                                  \
  extern "C" __global__ void __launch_bounds__(GW_ATB_THREADS) gw_attention_bf16_fwd_d##D(GW_ATB_FWD_ARGS) {           \
    gw_atb_fwd<D, false>(q, k, v, mask, out, lse, Tq, Tk, H, BH, scale, maskValue, gw_att_drop(1.0, 0, 0));              \
  }                                                                                                                      \
  extern "C" __global__ void __launch_bounds__(GW_ATB_THREADS)                                                          \
      gw_attention_bf16_fwd_drop_d##D(GW_ATB_FWD_ARGS, double keep, unsigned long long seed, unsigned long long offset) { \
    gw_atb_fwd<D, true>(q, k, v, mask, out, lse, Tq, Tk, H, BH, scale, maskValue, gw_att_drop(keep, seed, offset));      \
  }
GW_ATB_ENTRY(64)
GW_ATB_ENTRY(96)

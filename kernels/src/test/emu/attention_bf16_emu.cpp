// Runs the bf16 attention kernels (attention_bf16.cu forward, attention_bf16_bwd.cu backward) under
// the CPU emulation (cuda_emu.h), for AttentionBf16EmulationTest:
//   attention_bf16_emu D B H Tq Tk maskValue keep seed offset DIR   (keep < 1: the *_drop kernels)
// reads DIR/q.bin, k.bin, v.bin (bf16 bits, little-endian, [B*H, T, D]) and DIR/mask.bin if present
// (float32 [B, Tk]); writes DIR/out.bin (bf16 [B*H, Tq, D]) and DIR/lse.bin (float32 [B*H, Tq]).
// With DIR/dout.bin (bf16 [B*H, Tq, D]) it also runs the backward on the forward's out and lse and
// writes DIR/dq.bin, dk.bin, dv.bin (float32). The grids are the ones AttentionBf16Kernels and AttentionBf16BwdKernels launch.
#include <math.h>
#include "cuda_emu.h"
#include "attention_tiles.cuh"
#include "attention_bf16.cu"
#include "attention_bf16_bwd.cu"

#include "emu_io.h"



int main(int argc, char** argv) {
  if (argc != 11) { std::fprintf(stderr, "usage: %s D B H Tq Tk maskValue keep seed offset DIR\n", argv[0]); return 2; }
  int D = std::atoi(argv[1]), B = std::atoi(argv[2]), H = std::atoi(argv[3]), Tq = std::atoi(argv[4]), Tk = std::atoi(argv[5]);
  float maskValue = std::strtof(argv[6], nullptr);
  double keep = std::strtod(argv[7], nullptr);
  unsigned long long seed = std::strtoull(argv[8], nullptr, 10), offset = std::strtoull(argv[9], nullptr, 10);
  const bool drop = keep < 1;
  std::string dir = argv[10];
  if (D != 64 && D != 96) { std::fprintf(stderr, "head dim %d: only 64 and 96 are built\n", D); return 2; }
  int BH = B * H;
  auto q = gw_emu_read<uint16_t>(dir + "/q.bin", (size_t)BH * Tq * D, true);
  auto k = gw_emu_read<uint16_t>(dir + "/k.bin", (size_t)BH * Tk * D, true);
  auto v = gw_emu_read<uint16_t>(dir + "/v.bin", (size_t)BH * Tk * D, true);
  auto mask = gw_emu_read<float>(dir + "/mask.bin", (size_t)B * Tk, false);
  std::vector<uint16_t> out((size_t)BH * Tq * D, 0xffffu);  // NaN bits: rows never written show up
  std::vector<float> lse((size_t)BH * Tq, NAN);
  const float* mp = mask.empty() ? nullptr : mask.data();
  float scale = (float)(1.0 / std::sqrt((double)D));
  dim3 grid{(unsigned)((Tq + GW_ATB_BQ - 1) / GW_ATB_BQ), (unsigned)BH, 1};
  gw_emu::launch(grid, GW_ATB_THREADS, [&] {
#define GW_EMU_FWD(D_)                                                                                                     \
  if (drop) gw_attention_bf16_fwd_drop_d##D_(q.data(), k.data(), v.data(), mp, out.data(), lse.data(), Tq, Tk, H, BH, scale, \
                                             maskValue, keep, seed, offset);                                                 \
  else gw_attention_bf16_fwd_d##D_(q.data(), k.data(), v.data(), mp, out.data(), lse.data(), Tq, Tk, H, BH, scale, maskValue);
    if (D == 64) { GW_EMU_FWD(64) } else { GW_EMU_FWD(96) }
  });
  gw_emu_write(dir + "/out.bin", out);
  gw_emu_write(dir + "/lse.bin", lse);

  auto dout = gw_emu_read<uint16_t>(dir + "/dout.bin", (size_t)BH * Tq * D, false);
  if (dout.empty()) return 0;
  int rows = BH * Tq;
  std::vector<float> delta(rows, NAN), dq((size_t)rows * D, NAN), dk((size_t)BH * Tk * D, NAN), dv((size_t)BH * Tk * D, NAN);
  gw_emu::launch(dim3{(unsigned)((rows + GW_ATB_THREADS / 32 - 1) / (GW_ATB_THREADS / 32)), 1, 1}, GW_ATB_THREADS,
                 [&] { gw_attention_bf16_bwd_preprocess(dout.data(), out.data(), delta.data(), rows, D); });
  gw_emu::launch(dim3{(unsigned)((Tk + GW_ATB_BWD_BK - 1) / GW_ATB_BWD_BK), (unsigned)BH, 1}, GW_ATB_THREADS, [&] {
#define GW_EMU_BWD(name, D_, ...)                                                                                          \
  if (drop) name##_drop_d##D_(q.data(), k.data(), v.data(), mp, dout.data(), lse.data(), delta.data(), __VA_ARGS__, Tq, Tk, H, \
                              BH, scale, maskValue, keep, seed, offset);                                                 \
  else name##_d##D_(q.data(), k.data(), v.data(), mp, dout.data(), lse.data(), delta.data(), __VA_ARGS__, Tq, Tk, H, BH, scale, maskValue);
    if (D == 64) { GW_EMU_BWD(gw_attention_bf16_bwd_dkv, 64, dk.data(), dv.data()) }
    else { GW_EMU_BWD(gw_attention_bf16_bwd_dkv, 96, dk.data(), dv.data()) }
  });
  gw_emu::launch(dim3{(unsigned)((Tq + GW_ATB_DQ_BQ - 1) / GW_ATB_DQ_BQ), (unsigned)BH, 1}, GW_ATB_THREADS, [&] {
    if (D == 64) { GW_EMU_BWD(gw_attention_bf16_bwd_dq, 64, dq.data()) }
    else { GW_EMU_BWD(gw_attention_bf16_bwd_dq, 96, dq.data()) }
  });
  gw_emu_write(dir + "/dq.bin", dq);
  gw_emu_write(dir + "/dk.bin", dk);
  gw_emu_write(dir + "/dv.bin", dv);
  return 0;
}

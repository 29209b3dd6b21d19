// Runs attention.cu's fp32 kernels (forward, backward preprocess, dK/dV, dQ; plain or _drop) under
// the CPU emulation (cuda_emu.h), with the grids AttentionKernels launches, for AttentionEmulationTest:
//   attention_emu D B H Tq Tk maskValue keep seed offset DIR
// reads DIR/q.bin, k.bin, v.bin, dout.bin (float32, [B*H, T, D]) and DIR/mask.bin if present
// (float32 [B, Tk]); writes DIR/out.bin, lse.bin, dq.bin, dk.bin, dv.bin. keep < 1 runs the
// _drop kernels with (keep, seed, offset).
#include <math.h>
#include "cuda_emu.h"
#include "attention_tiles.cuh"
#include "attention.cu"

#include "emu_io.h"



static unsigned ceil_div(int n, int t) { return (unsigned)((n + t - 1) / t); }

int main(int argc, char** argv) {
  if (argc != 11) { std::fprintf(stderr, "usage: %s D B H Tq Tk maskValue keep seed offset DIR\n", argv[0]); return 2; }
  int D = std::atoi(argv[1]), B = std::atoi(argv[2]), H = std::atoi(argv[3]), Tq = std::atoi(argv[4]), Tk = std::atoi(argv[5]);
  float maskValue = std::strtof(argv[6], nullptr);
  double keep = std::strtod(argv[7], nullptr);
  unsigned long long seed = std::strtoull(argv[8], nullptr, 10), offset = std::strtoull(argv[9], nullptr, 10);
  std::string dir = argv[10];
  if (D != 64 && D != 96) { std::fprintf(stderr, "head dim %d: only 64 and 96 are built\n", D); return 2; }
  const bool drop = keep < 1;
  const int BH = B * H, rows = BH * Tq, bq = D == 64 ? GW_ATT_BWD_BQ_D64 : GW_ATT_BWD_BQ_D96;
  auto q = gw_emu_read<float>(dir + "/q.bin", (size_t)rows * D, true);
  auto k = gw_emu_read<float>(dir + "/k.bin", (size_t)BH * Tk * D, true);
  auto v = gw_emu_read<float>(dir + "/v.bin", (size_t)BH * Tk * D, true);
  auto g = gw_emu_read<float>(dir + "/dout.bin", (size_t)rows * D, true);
  auto maskv = gw_emu_read<float>(dir + "/mask.bin", (size_t)B * Tk, false);
  const float* mask = maskv.empty() ? nullptr : maskv.data();
  std::vector<float> out((size_t)rows * D, NAN), lse(rows, NAN), delta(rows, NAN);
  std::vector<float> dq((size_t)rows * D, NAN), dk((size_t)BH * Tk * D, NAN), dv((size_t)BH * Tk * D, NAN);
  float scale = (float)(1.0 / std::sqrt((double)D));
  unsigned bhu = (unsigned)BH;

  gw_emu::launch(dim3{ceil_div(Tq, GW_ATT_BQ), bhu, 1}, GW_ATT_THREADS, [&] {
    if (D == 64) {
      if (drop) gw_attention_fwd_drop_d64(q.data(), k.data(), v.data(), mask, out.data(), lse.data(), Tq, Tk, H, BH, scale, maskValue, keep, seed, offset);
      else gw_attention_fwd_d64(q.data(), k.data(), v.data(), mask, out.data(), lse.data(), Tq, Tk, H, BH, scale, maskValue);
    } else {
      if (drop) gw_attention_fwd_drop_d96(q.data(), k.data(), v.data(), mask, out.data(), lse.data(), Tq, Tk, H, BH, scale, maskValue, keep, seed, offset);
      else gw_attention_fwd_d96(q.data(), k.data(), v.data(), mask, out.data(), lse.data(), Tq, Tk, H, BH, scale, maskValue);
    }
  });
  gw_emu::launch(dim3{ceil_div(rows, GW_ATT_THREADS / 32), 1, 1}, GW_ATT_THREADS,
                 [&] { gw_attention_bwd_preprocess(g.data(), out.data(), delta.data(), rows, D); });
#define GW_EMU_BWD(name, D_, ...)                                                                                         \
  if (drop) name##_drop_d##D_(q.data(), k.data(), v.data(), mask, g.data(), lse.data(), delta.data(), __VA_ARGS__, Tq, Tk, H, \
                              BH, scale, maskValue, keep, seed, offset);                                                \
  else name##_d##D_(q.data(), k.data(), v.data(), mask, g.data(), lse.data(), delta.data(), __VA_ARGS__, Tq, Tk, H, BH, scale, maskValue);
  gw_emu::launch(dim3{ceil_div(Tk, GW_ATT_BK), bhu, 1}, GW_ATT_THREADS, [&] {
    if (D == 64) { GW_EMU_BWD(gw_attention_bwd_dkv, 64, dk.data(), dv.data()) }
    else { GW_EMU_BWD(gw_attention_bwd_dkv, 96, dk.data(), dv.data()) }
  });
  gw_emu::launch(dim3{ceil_div(Tq, bq), bhu, 1}, GW_ATT_THREADS, [&] {
    if (D == 64) { GW_EMU_BWD(gw_attention_bwd_dq, 64, dq.data()) }
    else { GW_EMU_BWD(gw_attention_bwd_dq, 96, dq.data()) }
  });
  gw_emu_write(dir + "/out.bin", out);
  gw_emu_write(dir + "/lse.bin", lse);
  gw_emu_write(dir + "/dq.bin", dq);
  gw_emu_write(dir + "/dk.bin", dk);
  gw_emu_write(dir + "/dv.bin", dv);
  return 0;
}

// Runs one step of optimizer.cu's kernels (BertAdam's clipping through sq_norm.cu's two stages, as
// OptimizerKernels launches them) under the CPU emulation (cuda_emu.h), for OptimizerEmulationTest:
//   optimizer_emu sgd       N BLOCKS DIR lr wd momentum undamped nesterov firstStep
//   optimizer_emu adam      N BLOCKS DIR shrink l2 beta1 beta2 omb1 omb2 stepSize bc2 eps
//   optimizer_emu bert_adam N BLOCKS DIR maxNorm lr wd beta1 beta2 omb1 omb2 eps
// Floats are given as their bit patterns (unsigned 32-bit decimal), maxNorm as a double's (64-bit),
// so the driver sees exactly the constants the host class would pack. Reads DIR/p.bin, g.bin and
// buf.bin (sgd) or m.bin, v.bin (float32 [N]); writes them back updated (g.bin too: BertAdam clips it
// in place) and, for bert_adam with maxNorm > 0, DIR/sq.bin (the device's Σ g²). BLOCKS caps the
// update's grid (below N/256 the grid-stride loop takes several turns, as on a large tensor).
#include <math.h>
#include "cuda_emu.h"
#include "sq_norm.cu"
#include "optimizer.cu"

#include "emu_io.h"

#include <string>

int main(int argc, char** argv) {
  if (argc < 5) { std::fprintf(stderr, "usage: %s RULE N BLOCKS DIR PARAMS...\n", argv[0]); return 2; }
  std::string rule = argv[1], dir = argv[4];
  long long n = std::atoll(argv[2]);
  unsigned blocks = (unsigned)std::min<long long>(std::atoll(argv[3]), (n + GW_GRID_STRIDE_THREADS - 1) / GW_GRID_STRIDE_THREADS);
  dim3 grid{blocks, 1, 1};
  auto p = gw_emu_read<float>(dir + "/p.bin", n), g = gw_emu_read<float>(dir + "/g.bin", n);
  if (rule == "sgd" && argc == 11) {
    auto buf = gw_emu_read<float>(dir + "/buf.bin", n);
    float lr = gw_emu_f32_bits(argv[5]), wd = gw_emu_f32_bits(argv[6]);
    float momentum = gw_emu_f32_bits(argv[7]), undamped = gw_emu_f32_bits(argv[8]);
    int nesterov = std::atoi(argv[9]), first = std::atoi(argv[10]);
    gw_emu::launch(grid, GW_GRID_STRIDE_THREADS, [&] {
      gw_sgd_f32(p.data(), g.data(), buf.data(), n, lr, wd, momentum, undamped, nesterov, first);
    });
    gw_emu_write(dir + "/buf.bin", buf);
  } else if (rule == "adam" && argc == 14) {
    auto m = gw_emu_read<float>(dir + "/m.bin", n), v = gw_emu_read<float>(dir + "/v.bin", n);
    float a[9];
    for (int i = 0; i < 9; i++) a[i] = gw_emu_f32_bits(argv[5 + i]);
    gw_emu::launch(grid, GW_GRID_STRIDE_THREADS, [&] {
      gw_adam_f32(p.data(), g.data(), m.data(), v.data(), n, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
    });
    gw_emu_write(dir + "/m.bin", m);
    gw_emu_write(dir + "/v.bin", v);
  } else if (rule == "bert_adam" && argc == 13) {
    auto m = gw_emu_read<float>(dir + "/m.bin", n), v = gw_emu_read<float>(dir + "/v.bin", n);
    double maxNorm = gw_emu_f64_bits(argv[5]);
    float a[7];
    for (int i = 0; i < 7; i++) a[i] = gw_emu_f32_bits(argv[6 + i]);
    // SqNormKernels: partials of min(ceil(n/256), 1024) blocks, then one block sums them.
    std::vector<float> partial(GW_SQ_NORM_MAX_BLOCKS, NAN), sq(1, NAN);
    if (maxNorm > 0) {
      unsigned pb = (unsigned)std::min<long long>(GW_SQ_NORM_MAX_BLOCKS, (n + GW_SQ_NORM_THREADS - 1) / GW_SQ_NORM_THREADS);
      gw_emu::launch(dim3{pb, 1, 1}, GW_SQ_NORM_THREADS, [&] { gw_sq_norm_partial_f32(g.data(), n, partial.data()); });
      gw_emu::launch(dim3{1, 1, 1}, GW_SQ_NORM_SUM_THREADS, [&] { gw_sum_f32(partial.data(), (int)pb, sq.data()); });
      gw_emu_write(dir + "/sq.bin", sq);
    }
    const float* sqNorm = maxNorm > 0 ? sq.data() : nullptr;
    gw_emu::launch(grid, GW_GRID_STRIDE_THREADS, [&] {
      gw_bert_adam_f32(p.data(), g.data(), m.data(), v.data(), n, sqNorm, maxNorm, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    });
    gw_emu_write(dir + "/m.bin", m);
    gw_emu_write(dir + "/v.bin", v);
  } else {
    std::fprintf(stderr, "unknown rule or wrong argument count: %s (%d arguments)\n", rule.c_str(), argc);
    return 2;
  }
  gw_emu_write(dir + "/p.bin", p);
  gw_emu_write(dir + "/g.bin", g);
  return 0;
}

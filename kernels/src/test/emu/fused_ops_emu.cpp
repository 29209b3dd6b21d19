// Runs the fused ops' kernels behind F.biasGelu, F.biasDropoutAdd and F.crossEntropy (bias_gelu.cu,
// bias_dropout_add.cu, cross_entropy.cu) under the CPU emulation (cuda_emu.h) with their host
// classes' launch shapes, for FusedOpsEmulationTest:
//   fused_ops_emu bias_gelu        ROWS D BLOCKS DIR                      x b g -> y dx
//   fused_ops_emu bias_dropout_add ROWS D BLOCKS DIR keep scale seed offset   x b r g -> y dx
//   fused_ops_emu cross_entropy    N C DIR ignoreIndex scale                x t -> loss dx
// DIR holds little-endian float32 arrays (t: int64 targets); keep is a double's bit pattern, scale a
// float's (unsigned decimal), so the driver sees exactly what the host class packs. BLOCKS caps the
// grid-stride grids (fewer blocks than elements / 256: the loops take several turns).
#include <math.h>
#include "cuda_emu.h"
#include "bias_gelu.cu"
#include "bias_dropout_add.cu"
#include "cross_entropy.cu"

#include "emu_io.h"

#include <string>

static dim3 stride_grid(long long n, long long cap) {
  return dim3{(unsigned)std::min<long long>(cap, (n + GW_GRID_STRIDE_THREADS - 1) / GW_GRID_STRIDE_THREADS), 1, 1};
}

int main(int argc, char** argv) {
  if (argc < 5) { std::fprintf(stderr, "usage: %s OP ...\n", argv[0]); return 2; }
  std::string op = argv[1];
  if (op == "bias_gelu" && argc == 6) {
    int rows = std::atoi(argv[2]), D = std::atoi(argv[3]);
    long long n = (long long)rows * D;
    std::string dir = argv[5];
    dim3 grid = stride_grid(n, std::atoll(argv[4]));
    auto x = gw_emu_read<float>(dir + "/x.bin", n), b = gw_emu_read<float>(dir + "/b.bin", D), g = gw_emu_read<float>(dir + "/g.bin", n);
    std::vector<float> y(n, NAN), dx(n, NAN);
    gw_emu::launch(grid, GW_GRID_STRIDE_THREADS, [&] { gw_bias_gelu_f32(x.data(), b.data(), y.data(), n, D); });
    gw_emu::launch(grid, GW_GRID_STRIDE_THREADS, [&] { gw_bias_gelu_bwd_f32(g.data(), x.data(), b.data(), dx.data(), n, D); });
    gw_emu_write(dir + "/y.bin", y);
    gw_emu_write(dir + "/dx.bin", dx);
  } else if (op == "bias_dropout_add" && argc == 10) {
    int rows = std::atoi(argv[2]), D = std::atoi(argv[3]);
    long long n = (long long)rows * D;
    std::string dir = argv[5];
    dim3 grid = stride_grid(n, std::atoll(argv[4]));
    double keep = gw_emu_f64_bits(argv[6]);
    float scale = gw_emu_f32_bits(argv[7]);
    unsigned long long seed = std::strtoull(argv[8], nullptr, 10), offset = std::strtoull(argv[9], nullptr, 10);
    auto x = gw_emu_read<float>(dir + "/x.bin", n), b = gw_emu_read<float>(dir + "/b.bin", D);
    auto r = gw_emu_read<float>(dir + "/r.bin", n), g = gw_emu_read<float>(dir + "/g.bin", n);
    std::vector<float> y(n, NAN), dx(n, NAN);
    gw_emu::launch(grid, GW_GRID_STRIDE_THREADS, [&] {
      gw_bias_dropout_add_f32(x.data(), b.data(), r.data(), y.data(), n, D, keep, scale, seed, offset);
    });
    gw_emu::launch(grid, GW_GRID_STRIDE_THREADS, [&] { gw_bias_dropout_add_bwd_f32(g.data(), dx.data(), n, keep, scale, seed, offset); });
    gw_emu_write(dir + "/y.bin", y);
    gw_emu_write(dir + "/dx.bin", dx);
  } else if (op == "cross_entropy" && argc == 7) {
    int N = std::atoi(argv[2]), C = std::atoi(argv[3]);
    std::string dir = argv[4];
    long long ignore = std::atoll(argv[5]);
    float scale = gw_emu_f32_bits(argv[6]);
    auto x = gw_emu_read<float>(dir + "/x.bin", (size_t)N * C);
    auto t = gw_emu_read<long long>(dir + "/t.bin", N);
    std::vector<float> loss(N, NAN), dx((size_t)N * C, NAN);
    // CrossEntropyKernels: a power of two covering C, 32 to 1024 threads, one block per row.
    int threads = 32;
    while (threads < C && threads < 1024) threads *= 2;
    gw_emu::launch(dim3{(unsigned)N, 1, 1}, threads, [&] { gw_cross_entropy_f32(x.data(), t.data(), loss.data(), dx.data(), C, ignore, scale); });
    gw_emu_write(dir + "/loss.bin", loss);
    gw_emu_write(dir + "/dx.bin", dx);
  } else {
    std::fprintf(stderr, "unknown op or wrong argument count: %s (%d arguments)\n", op.c_str(), argc);
    return 2;
  }
  return 0;
}

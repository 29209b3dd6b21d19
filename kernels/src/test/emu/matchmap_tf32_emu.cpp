// Runs matchmap_tf32.cu's gw_matchmap_max_tf32 under the CPU emulation (cuda_emu.h), for
// MatchmapTf32EmulationTest:  matchmap_tf32_emu B T D P DIR
// reads DIR/image.bin (float32 [B, D, P]), language.bin (float32 [B*T, D]) and nwords.bin (int64 [B]);
// builds the kept-row map as gw_matchmap_rows does (n_c = clamp(nwords_c, 1, T)), runs the kernel with
// MatchmapTf32Kernels' grid and writes DIR/rowmap.bin (int32 [R']), smax.bin (float32 [B, R']) and
// sarg.bin (int32 [B, R']).
#include <math.h>
#include "cuda_emu.h"
#include "matchmap_tiles.cuh"
#include "matchmap_tf32.cu"

#include "emu_io.h"



int main(int argc, char** argv) {
  if (argc != 6) { std::fprintf(stderr, "usage: %s B T D P DIR\n", argv[0]); return 2; }
  int B = std::atoi(argv[1]), T = std::atoi(argv[2]), D = std::atoi(argv[3]), P = std::atoi(argv[4]);
  std::string dir = argv[5];
  auto image = gw_emu_read<float>(dir + "/image.bin", (size_t)B * D * P);
  auto language = gw_emu_read<float>(dir + "/language.bin", (size_t)B * T * D);
  auto nwords = gw_emu_read<long long>(dir + "/nwords.bin", (size_t)B);
  int rcap = B * T;
  std::vector<int> offsets(B + 1), rowmap;
  for (int c = 0; c < B; c++) {
    offsets[c] = (int)rowmap.size();
    long long n = nwords[c] > T ? T : nwords[c] < 1 ? 1 : nwords[c];
    for (int t = 0; t < n; t++) rowmap.push_back(c * T + t);
  }
  offsets[B] = (int)rowmap.size();
  int R = offsets[B];
  rowmap.resize(rcap, -1);
  std::vector<float> smax((size_t)B * rcap, NAN);
  std::vector<int> sarg((size_t)B * rcap, -1);
  gw_emu::launch(dim3{(unsigned)((rcap + MMT_RT - 1) / MMT_RT), (unsigned)B, 1}, MMT_THREADS, [&] {
    gw_matchmap_max_tf32(image.data(), language.data(), rowmap.data(), offsets.data(), B, D, P, rcap, smax.data(), sarg.data());
  });
  std::vector<float> s((size_t)B * R);
  std::vector<int> a((size_t)B * R);
  for (int i = 0; i < B; i++)
    for (int r = 0; r < R; r++) {
      s[(size_t)i * R + r] = smax[(size_t)i * rcap + r];
      a[(size_t)i * R + r] = sarg[(size_t)i * rcap + r];
    }
  gw_emu_write(dir + "/rowmap.bin", std::vector<int>(rowmap.begin(), rowmap.begin() + R));
  gw_emu_write(dir + "/smax.bin", s);
  gw_emu_write(dir + "/sarg.bin", a);
  return 0;
}

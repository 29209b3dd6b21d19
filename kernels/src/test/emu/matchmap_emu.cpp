// Runs matchmap.cu's fp32 kernels (row compaction, max, mean, both backward kernels) under the CPU
// emulation (cuda_emu.h), with MatchmapTf32Kernels' grids, for MatchmapEmulationTest:
//   matchmap_emu B T D P CHUNK DIR
// reads DIR/image.bin (float32 [B, D, P]), language.bin (float32 [B, T, D]), nwords.bin (int64 [B])
// and dsim.bin (float32 [B, B], the upstream gradient of sim); writes DIR/sim.bin [B, B],
// dimage.bin [B, D, P] and dlanguage.bin [B, T, D]. The language gradient reads the image transposed
// CHUNK images at a time, as MatchmapKernels.backward does.
#include <math.h>
#include "cuda_emu.h"
#include "matchmap_tiles.cuh"
#include "matchmap.cu"

#include "emu_io.h"



static unsigned ceil_div(long long n, int t) { return (unsigned)((n + t - 1) / t); }

int main(int argc, char** argv) {
  if (argc != 7) { std::fprintf(stderr, "usage: %s B T D P CHUNK DIR\n", argv[0]); return 2; }
  int B = std::atoi(argv[1]), T = std::atoi(argv[2]), D = std::atoi(argv[3]), P = std::atoi(argv[4]), chunk = std::atoi(argv[5]);
  std::string dir = argv[6];
  if (chunk < 1) { std::fprintf(stderr, "chunk %d < 1\n", chunk); return 2; }
  auto image = gw_emu_read<float>(dir + "/image.bin", (size_t)B * D * P);
  auto language = gw_emu_read<float>(dir + "/language.bin", (size_t)B * T * D);
  auto nwords = gw_emu_read<long long>(dir + "/nwords.bin", (size_t)B);
  auto dsim = gw_emu_read<float>(dir + "/dsim.bin", (size_t)B * B);
  int rcap = B * T;
  std::vector<int> offsets(B + 1, -1), rowmap(rcap, -1), sarg((size_t)B * rcap, -1);
  std::vector<float> smax((size_t)B * rcap, NAN), sim((size_t)B * B, NAN), dimage((size_t)B * D * P, NAN);
  std::vector<float> dlang((size_t)B * T * D, 0.f);  // MatchmapKernels.backward zeroes it first

  gw_emu::launch(dim3{1, 1, 1}, MM_THREADS, [&] { gw_matchmap_rows(nwords.data(), B, T, offsets.data(), rowmap.data()); });
  gw_emu::launch(dim3{ceil_div(rcap, MM_RT), (unsigned)B, 1}, MM_THREADS, [&] {
    gw_matchmap_max(image.data(), language.data(), rowmap.data(), offsets.data(), B, D, P, rcap, smax.data(), sarg.data());
  });
  gw_emu::launch(dim3{ceil_div((long long)B * B, GW_GRID_STRIDE_THREADS), 1, 1}, GW_GRID_STRIDE_THREADS,
                 [&] { gw_matchmap_mean(smax.data(), offsets.data(), nwords.data(), B, T, rcap, sim.data()); });
  gw_emu::launch(dim3{(unsigned)P, (unsigned)B, 1}, MM_BWD_THREADS, [&] {
    gw_matchmap_bwd_image(language.data(), dsim.data(), sarg.data(), rowmap.data(), offsets.data(), nwords.data(), B, T, D, P, rcap,
                          dimage.data());
  }, (size_t)D * 4);
  std::vector<float> imageT((size_t)chunk * P * D);
  for (int i0 = 0; i0 < B; i0 += chunk) {
    int n = B - i0 < chunk ? B - i0 : chunk;
    for (int i = 0; i < n; i++)
      for (int p = 0; p < P; p++)
        for (int d = 0; d < D; d++) imageT[((size_t)i * P + p) * D + d] = image[((size_t)(i0 + i) * D + d) * P + p];
    gw_emu::launch(dim3{(unsigned)rcap, 1, 1}, 128, [&] {
      gw_matchmap_bwd_language(imageT.data(), dsim.data(), sarg.data(), rowmap.data(), offsets.data(), nwords.data(), B, T, D, P, rcap,
                               i0, i0 + n, i0 > 0 ? 1 : 0, dlang.data());
    });
  }
  gw_emu_write(dir + "/sim.bin", sim);
  gw_emu_write(dir + "/dimage.bin", dimage);
  gw_emu_write(dir + "/dlanguage.bin", dlang);
  return 0;
}

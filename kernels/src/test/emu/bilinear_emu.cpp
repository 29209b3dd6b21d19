// Runs bilinear_relation.cu's kernels (scores, the objects and relations gradients, the partial
// sums) under the CPU emulation (cuda_emu.h), with BilinearRelationKernels' grids and shared sizes,
// for BilinearEmulationTest:   bilinear_emu B K O S KPER BPER DIR
// reads DIR/z.bin (float32 [B, O, S]), m.bin ([K, S, S]) and g.bin (the scores' gradient
// [B, K, O, O]); writes DIR/scores.bin, dz.bin and dm.bin. KPER / BPER: relations (objects) per
// chunk of the objects (relations) gradient; below K (B) the partials are summed as on the device.
#include <math.h>
#include "cuda_emu.h"
#include "bilinear_tiles.cuh"
#include "bilinear_relation.cu"

#include "emu_io.h"



// The chunked sum of a gradient: count partials of n floats summed in chunk order into out.
static void sum_partials(const std::vector<float>& partial, int count, long long n, std::vector<float>& out) {
  gw_emu::launch(dim3{(unsigned)((n + GW_GRID_STRIDE_THREADS - 1) / GW_GRID_STRIDE_THREADS), 1, 1}, GW_GRID_STRIDE_THREADS,
                 [&] { gw_bilinear_sum_partials(partial.data(), count, n, out.data()); });
}

int main(int argc, char** argv) {
  if (argc != 8) { std::fprintf(stderr, "usage: %s B K O S KPER BPER DIR\n", argv[0]); return 2; }
  int B = std::atoi(argv[1]), K = std::atoi(argv[2]), O = std::atoi(argv[3]), S = std::atoi(argv[4]);
  int kPer = std::atoi(argv[5]), bPer = std::atoi(argv[6]);
  std::string dir = argv[7];
  auto z = gw_emu_read<float>(dir + "/z.bin", (size_t)B * O * S);
  auto m = gw_emu_read<float>(dir + "/m.bin", (size_t)K * S * S);
  auto g = gw_emu_read<float>(dir + "/g.bin", (size_t)B * K * O * O);
  const int ldS = S | 1, ldO = O | 1;
  std::vector<float> scores((size_t)B * K * O * O, NAN), dz((size_t)B * O * S, NAN), dm((size_t)K * S * S, NAN);

  gw_emu::launch(dim3{(unsigned)K, (unsigned)B, 1}, BR_THREADS,
                 [&] { gw_bilinear_fwd(z.data(), m.data(), B, K, O, S, scores.data()); }, (size_t)(2 * O + S) * ldS * 4);

  int kc = (K + kPer - 1) / kPer;
  std::vector<float> pz(kc > 1 ? (size_t)kc * dz.size() : 0, NAN);
  gw_emu::launch(dim3{(unsigned)B, (unsigned)kc, 1}, BR_THREADS, [&] {
    gw_bilinear_bwd_objects(z.data(), m.data(), g.data(), B, K, O, S, kPer, kc > 1 ? pz.data() : dz.data());
  }, (size_t)(3 * O * ldS + (O * ldO > S * ldS ? O * ldO : S * ldS)) * 4);
  if (kc > 1) sum_partials(pz, kc, (long long)dz.size(), dz);

  int bc = (B + bPer - 1) / bPer;
  std::vector<float> pm(bc > 1 ? (size_t)bc * dm.size() : 0, NAN);
  gw_emu::launch(dim3{(unsigned)K, (unsigned)bc, 1}, BR_THREADS, [&] {
    gw_bilinear_bwd_relations(z.data(), g.data(), B, K, O, S, bPer, bc > 1 ? pm.data() : dm.data());
  }, (size_t)(2 * O * ldS + O * ldO) * 4);
  if (bc > 1) sum_partials(pm, bc, (long long)dm.size(), dm);

  gw_emu_write(dir + "/scores.bin", scores);
  gw_emu_write(dir + "/dz.bin", dz);
  gw_emu_write(dir + "/dm.bin", dm);
  return 0;
}

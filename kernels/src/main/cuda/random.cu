// Counter-based random fill: element i draws Philox4x32-10(seed, offset + i), the same function as
// the CPU backend, so a dropout mask is identical on both and can be regenerated instead of stored.
// Launch: 1-D grid-stride, 256 threads. Bound by the 10 Philox rounds (integer multiplies) at
// small sizes and by the store bandwidth at large ones.
#include "common.cuh"

enum { K_UNIFORM = 0, K_NORMAL = 1, K_BERNOULLI = 2 };

extern "C" __global__ void gw_random(int kind, void* out, int dt, long long n, unsigned long long seed,
                                     unsigned long long offset, double a, double b) {
  bool f64 = dt == GW_F64;
  GW_GRID_STRIDE(i, n) {
    GwPhilox r = gw_philox(seed, offset + (unsigned long long)i);
    double u = f64 ? gw_uniform53(r.w[0], r.w[1]) : (double)gw_uniform24(r.w[0]);
    double v;
    if (kind == K_UNIFORM) v = a + (b - a) * u;
    else if (kind == K_BERNOULLI) v = u < a ? 1.0 : 0.0;
    else {
      // Box-Muller with u1 in (0, 1] so the log is finite.
      double u1 = f64 ? 1.0 - u : 1.0 - (double)gw_uniform24(r.w[0]);
      double u2 = f64 ? gw_uniform53(r.w[2], r.w[3]) : (double)gw_uniform24(r.w[1]);
      v = a + b * sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
    }
    gw_store(out, dt, i, v);
  }
}

package dev.groundwork.engine.cpu;

import dev.groundwork.engine.backend.Backend.RandomKind;
import dev.groundwork.engine.random.Philox;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

/** Philox draws: element i of a contiguous tensor uses counter offset + i (see {@link Philox}). */
final class CpuRandom {
    private CpuRandom() {}

    static void fill(Tensor out, RandomKind kind, long seed, long offset, double a, double b) {
        CpuStorage os = CpuBackend.cpu(out);
        boolean f64 = out.dtype() == DType.F64;
        int n = out.numel(), base = out.offset();
        CpuThreads.parallelFor(0, n, 1 << 14, (from, to) -> {
            int[] w = new int[4];
            for (int i = from; i < to; i++) {
                Philox.block(seed, offset + i, w);
                double u = f64 ? Philox.uniform53(w[0], w[1]) : Philox.uniform24(w[0]);
                double v = switch (kind) {
                    case UNIFORM -> a + (b - a) * u;
                    case BERNOULLI -> u < a ? 1 : 0;
                    case NORMAL -> {
                        // Box-Muller with u1 in (0, 1] so the log is finite.
                        double u1 = f64 ? 1 - u : 1 - Philox.uniform24(w[0]);
                        double u2 = f64 ? Philox.uniform53(w[2], w[3]) : Philox.uniform24(w[1]);
                        yield a + b * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
                    }
                };
                os.set(base + i, v);
            }
        });
    }
}

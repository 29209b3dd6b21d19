package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** optimizer.cu's SGD and Adam/AdamW steps against their formulas. */
class OptimizerKernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    @Test
    void adamAndAdamWStepsMatchTheFormula() {
        CudaBackend be = requireCuda();
        for (boolean decoupled : new boolean[]{false, true}) {
            Tensor p = rand(r, 1, 5000), g = rand(r, 1, 5000), m = rand(r, 0.1, 5000), v = rand(r, 0.1, 5000).abs();
            double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
            long step = 3;
            // reference in float64 on the CPU
            double[] P = p.toDoubleArray(), G = g.toDoubleArray(), M = m.toDoubleArray(), V = v.toDoubleArray();
            double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
            for (int i = 0; i < P.length; i++) {
                double gi = G[i], pi = P[i];
                if (decoupled) pi *= 1 - lr * wd; else gi += wd * pi;
                M[i] = b1 * M[i] + (1 - b1) * gi;
                V[i] = b2 * V[i] + (1 - b2) * gi * gi;
                P[i] = pi - lr / bc1 * M[i] / (Math.sqrt(V[i]) / Math.sqrt(bc2) + eps);
            }
            Tensor pg = p.to(CUDA), mg = m.to(CUDA), vg = v.to(CUDA);
            OptimizerKernels.adam(be, pg, g.to(CUDA), mg, vg, lr, b1, b2, eps, wd, decoupled, step);
            assertClose("adam p (decoupled=" + decoupled + ")", pg, Tensor.of(P, 5000), 1e-6);
            assertClose("adam m", mg, Tensor.of(M, 5000), 1e-6);
            assertClose("adam v", vg, Tensor.of(V, 5000), 1e-6);
        }
    }

    @Test
    void sgdWithMomentumAndNesterov() {
        CudaBackend be = requireCuda();
        Tensor p = rand(r, 1, 999), g = rand(r, 1, 999), buf = rand(r, 1, 999);
        double lr = 0.1, mom = 0.9, wd = 1e-4;
        Tensor d = g.add(p.mul(wd));
        Tensor nb = buf.mul(mom).add(d);
        Tensor want = p.sub(d.add(nb.mul(mom)).mul(lr));
        Tensor pg = p.to(CUDA), bg = buf.to(CUDA);
        OptimizerKernels.sgd(be, pg, g.to(CUDA), bg, lr, mom, 0, wd, true, false);
        assertClose("sgd p", pg, want, 1e-6);
        assertClose("sgd buf", bg, nb, 1e-6);
    }
}

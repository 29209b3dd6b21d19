package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.groundwork.engine.optim.OptimTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class BertAdamTest {
    private static final int N = 6;

    /** Three steps of BERT's update in double; clip > 0 scales g to norm clip first, per tensor. */
    private static void checkThreeSteps(BertAdam.Options o, long seed, double gradScale) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] p = randoms(r, N);
        Tensor w = param(p, 2, 3);
        BertAdam opt = new BertAdam(List.of(ParamGroup.of(w)), o);
        double[] m = new double[N], v = new double[N];
        for (int t = 1; t <= 3; t++) {
            double[] g = randoms(r, N);
            for (int i = 0; i < N; i++) g[i] *= gradScale;
            setGrad(w, g);
            opt.step();
            double norm = 0;
            for (double x : g) norm += x * x;
            norm = Math.sqrt(norm);
            if (o.maxGradNorm() > 0 && o.maxGradNorm() / (norm + 1e-6) < 1)
                for (int i = 0; i < N; i++) g[i] *= o.maxGradNorm() / (norm + 1e-6);
            assertClose(g, w.grad().toDoubleArray(), 1e-14, "the gradient is clipped in place");
            for (int i = 0; i < N; i++) {
                m[i] = o.beta1() * m[i] + (1 - o.beta1()) * g[i];
                v[i] = o.beta2() * v[i] + (1 - o.beta2()) * g[i] * g[i];
                double update = m[i] / (Math.sqrt(v[i]) + o.eps()) + o.weightDecay() * p[i];
                p[i] -= o.lr() * update;
            }
            assertClose(p, w.toDoubleArray(), 1e-12, "step " + t);
        }
    }

    @Test
    void noBiasCorrectionAndDecoupledDecay() {
        checkThreeSteps(new BertAdam.Options(0.01, 0.9, 0.999, 1e-6, 0.01, 0), 21, 1);
    }

    @Test
    void perTensorClipping() {
        // Gradients of norm ~ 5 * sqrt(6) * ~1 are well above the clip of 1.
        checkThreeSteps(BertAdam.Options.of(0.02), 22, 5);
    }

    @Test
    void clippingLeavesSmallGradients() {
        checkThreeSteps(BertAdam.Options.of(0.02).withMaxGradNorm(100), 23, 1);
    }
}

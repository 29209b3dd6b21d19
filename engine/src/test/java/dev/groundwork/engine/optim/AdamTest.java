package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.groundwork.engine.optim.OptimTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class AdamTest {
    private static final int N = 6;

    /**
     * Three steps against textbook Adam in double: m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t),
     * p -= lr m_hat / (sqrt(v_hat) + eps). decoupled: p *= 1 - lr wd first (AdamW); otherwise
     * g += wd p (Adam's L2).
     */
    private static void checkThreeSteps(Optimizer opt, Tensor w, double[] p, Adam.Options o, boolean decoupled, SplittableRandom r) {
        double[] m = new double[N], v = new double[N];
        for (int t = 1; t <= 3; t++) {
            double[] g = randoms(r, N);
            setGrad(w, g);
            opt.step();
            for (int i = 0; i < N; i++) {
                double gi = g[i];
                if (decoupled) p[i] *= 1 - o.lr() * o.weightDecay();
                else gi += o.weightDecay() * p[i];
                m[i] = o.beta1() * m[i] + (1 - o.beta1()) * gi;
                v[i] = o.beta2() * v[i] + (1 - o.beta2()) * gi * gi;
                double mHat = m[i] / (1 - Math.pow(o.beta1(), t));
                double vHat = v[i] / (1 - Math.pow(o.beta2(), t));
                p[i] -= o.lr() * mHat / (Math.sqrt(vHat) + o.eps());
            }
            assertClose(p, w.toDoubleArray(), 1e-12, opt.name() + " step " + t);
        }
    }

    @Test
    void adamWithVgBertSettings() {
        SplittableRandom r = new SplittableRandom(11);
        double[] p = randoms(r, N);
        Tensor w = param(p, 2, 3);
        Adam.Options o = new Adam.Options(1e-3, 0.95, 0.999, 1e-8, 5e-7);
        checkThreeSteps(new Adam(List.of(ParamGroup.of(w)), o), w, p, o, false, r);
    }

    @Test
    void adamL2WeightDecayLarge() {
        // A large decay makes the L2 term visible through the adaptive denominator.
        SplittableRandom r = new SplittableRandom(12);
        double[] p = randoms(r, N);
        Tensor w = param(p, 2, 3);
        Adam.Options o = new Adam.Options(0.05, 0.9, 0.99, 1e-6, 0.3);
        checkThreeSteps(new Adam(List.of(ParamGroup.of(w)), o), w, p, o, false, r);
    }

    @Test
    void adamWDecoupledWeightDecay() {
        SplittableRandom r = new SplittableRandom(13);
        double[] p = randoms(r, N);
        Tensor w = param(p, 2, 3);
        Adam.Options o = new Adam.Options(0.02, 0.9, 0.999, 1e-8, 0.1);
        checkThreeSteps(new AdamW(List.of(ParamGroup.of(w)), o), w, p, o, true, r);
    }

    @Test
    void firstStepMovesEachWeightByAboutLr() {
        // With m_hat = g and v_hat = g^2 the first update is lr * g / (|g| + eps): lr * sign(g).
        Tensor w = param(new double[]{0.7, -0.4}, 2);
        Adam opt = new Adam(List.of(w), 0.01);
        setGrad(w, new double[]{3.0, -0.25});
        opt.step();
        assertEquals(0.7 - 0.01 * 3.0 / (3.0 + 1e-8), w.get(0), 1e-15);
        assertEquals(-0.4 + 0.01 * 0.25 / (0.25 + 1e-8), w.get(1), 1e-15);
    }

    @Test
    void adamAndAdamWDifferOnlyThroughWeightDecay() {
        SplittableRandom r = new SplittableRandom(14);
        double[] p0 = randoms(r, N), g = randoms(r, N);
        Tensor a = param(p0, N), b = param(p0, N);
        setGrad(a, g);
        setGrad(b, g);
        Adam adam = new Adam(List.of(ParamGroup.of(a)), Adam.Options.of(0.01));
        AdamW adamW = new AdamW(List.of(ParamGroup.of(b)), Adam.Options.of(0.01));
        adam.step();
        adamW.step();
        assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), "without weight decay they are the same optimizer");
    }
}

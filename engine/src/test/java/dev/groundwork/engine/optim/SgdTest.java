package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.groundwork.engine.optim.OptimTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class SgdTest {
    private static final int N = 6;

    /** Runs 3 steps with fresh gradients and checks against the same steps written out in double. */
    private static void checkThreeSteps(Sgd.Options o, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] p = randoms(r, N);
        Tensor w = param(p, 2, 3);
        Sgd opt = new Sgd(List.of(ParamGroup.of(w)), o);
        double[] buf = null;
        for (int t = 1; t <= 3; t++) {
            double[] g = randoms(r, N);
            setGrad(w, g);
            opt.step();
            double[] d = new double[N];
            for (int i = 0; i < N; i++) d[i] = g[i] + o.weightDecay() * p[i];
            if (o.momentum() != 0) {
                if (buf == null) buf = d.clone();
                else for (int i = 0; i < N; i++) buf[i] = o.momentum() * buf[i] + (1 - o.dampening()) * d[i];
                for (int i = 0; i < N; i++) d[i] = o.nesterov() ? d[i] + o.momentum() * buf[i] : buf[i];
            }
            for (int i = 0; i < N; i++) p[i] -= o.lr() * d[i];
            assertClose(p, w.toDoubleArray(), 1e-13, "step " + t);
        }
    }

    @Test
    void plain() { checkThreeSteps(Sgd.Options.of(0.1), 1); }

    @Test
    void weightDecayIsAddedToTheGradient() { checkThreeSteps(Sgd.Options.of(0.1).withWeightDecay(0.05), 2); }

    @Test
    void momentum() { checkThreeSteps(Sgd.Options.of(0.05).withMomentum(0.9).withWeightDecay(0.01), 3); }

    @Test
    void nesterov() { checkThreeSteps(Sgd.Options.of(0.05).withMomentum(0.9).withNesterov(true).withWeightDecay(0.02), 4); }

    @Test
    void dampening() { checkThreeSteps(Sgd.Options.of(0.1).withMomentum(0.8).withDampening(0.3), 5); }

    @Test
    void momentumByHand() {
        // p = 1, lr 0.1, mu 0.5, grads 2, -1, 4: buf 2 -> 0.5*2-1 = 0 -> 0 + 4 = 4; p 0.8, 0.8, 0.4.
        Tensor w = param(new double[]{1.0}, 1);
        Sgd opt = new Sgd(List.of(ParamGroup.of(w)), Sgd.Options.of(0.1).withMomentum(0.5));
        double[] grads = {2, -1, 4}, expected = {0.8, 0.8, 0.4};
        for (int t = 0; t < 3; t++) {
            setGrad(w, new double[]{grads[t]});
            opt.step();
            assertEquals(expected[t], w.item(), 1e-15, "step " + (t + 1));
        }
    }

    @Test
    void skipsParamsWithoutGradAndKeepsTheTensorObject() {
        SplittableRandom r = new SplittableRandom(6);
        double[] a0 = randoms(r, 3), b0 = randoms(r, 3);
        Tensor a = param(a0, 3), b = param(b0, 3);
        Sgd opt = new Sgd(List.of(a, b), 0.1);
        setGrad(a, randoms(r, 3));
        opt.step();
        assertArrayEquals(b0, b.toDoubleArray(), "a parameter without grad must not move");
        assertEquals(1, opt.stepCount(0));
        assertEquals(0, opt.stepCount(1));
        assertSame(a, opt.params().get(0));
        assertTrue(a.requiresGrad());
        opt.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void nesterovNeedsMomentum() {
        Tensor w = param(new double[]{0.5}, 1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Sgd(List.of(ParamGroup.of(w)), Sgd.Options.of(0.1).withNesterov(true)));
        assertTrue(e.getMessage().contains("nesterov"), e.getMessage());
    }
}

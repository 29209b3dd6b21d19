package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.groundwork.engine.optim.OptimTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class ParamGroupTest {
    @Test
    void groupsUseTheirOwnLrAndWeightDecay() {
        SplittableRandom r = new SplittableRandom(31);
        double[] a = randoms(r, 4), b = randoms(r, 4), ga = randoms(r, 4), gb = randoms(r, 4);
        Tensor pa = param(a, 4), pb = param(b, 4);
        Sgd opt = new Sgd(List.of(ParamGroup.of(pa), ParamGroup.of(pb).lr(0.01).weightDecay(0.5)),
                Sgd.Options.of(0.1).withWeightDecay(0.02));
        setGrad(pa, ga);
        setGrad(pb, gb);
        opt.step();
        for (int i = 0; i < 4; i++) {
            a[i] -= 0.1 * (ga[i] + 0.02 * a[i]);
            b[i] -= 0.01 * (gb[i] + 0.5 * b[i]);
        }
        assertClose(a, pa.toDoubleArray(), 1e-14, "group 0 (defaults)");
        assertClose(b, pb.toDoubleArray(), 1e-14, "group 1 (overrides)");
        assertEquals(0.1, opt.lr(0));
        assertEquals(0.01, opt.lr(1));
        assertEquals(0.0, opt.paramGroups().get(1).get(Sgd.MOMENTUM), "unset keys come from the defaults");
    }

    @Test
    void setLrKeepsInitialLr() {
        Tensor p = param(new double[]{0.3, -0.8}, 2);
        Adam opt = new Adam(List.of(ParamGroup.of(p), ParamGroup.of(param(new double[]{1.2}, 1)).lr(1e-4)), Adam.Options.of(1e-3));
        opt.setLr(0, 5e-4);
        assertEquals(5e-4, opt.lr(0));
        assertEquals(1e-3, opt.initialLr(0));
        assertEquals(1e-4, opt.initialLr(1));
        opt.setLr(2e-5);
        assertEquals(2e-5, opt.lr(1));
    }

    @Test
    void unknownHyperParameterIsRejected() {
        Tensor p = param(new double[]{0.3}, 1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Adam(List.of(ParamGroup.of(p).set("momentum", 0.9)), Adam.Options.of(1e-3)));
        assertTrue(e.getMessage().contains("'momentum'"), e.getMessage());
    }

    @Test
    void duplicateParameterIsRejected() {
        Tensor p = param(new double[]{0.3}, 1);
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(ParamGroup.of(p), ParamGroup.of(p)), Sgd.Options.of(0.1)));
    }

    @Test
    void invalidBetaIsRejected() {
        Tensor p = param(new double[]{0.3}, 1);
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(ParamGroup.of(p)), Adam.Options.of(1e-3).withBetas(1.0, 0.999)));
    }
}

package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.groundwork.engine.optim.OptimTestSupport.param;
import static org.junit.jupiter.api.Assertions.*;

class LrScheduleTest {
    @Test
    void vgBertStages2And3UseOneBasedEpochs() {
        // lr_e = lr0 * 0.5^floor(e / 15), e = 1, 2, ...: epochs 1-14 at lr0, 15-29 at lr0/2, 30 at lr0/4.
        StepLr s = new StepLr(15, 0.5, true);
        double lr0 = 1e-4;
        for (int epoch = 1; epoch <= 30; epoch++) {
            double expected = epoch <= 14 ? lr0 : epoch <= 29 ? lr0 / 2 : lr0 / 4;
            assertEquals(expected, s.lr(lr0, epoch - 1), 0, "epoch " + epoch + " (index " + (epoch - 1) + ")");
        }
    }

    @Test
    void vgBertStage1UsesZeroBasedEpochs() {
        StepLr s = new StepLr(20, 0.5, false);
        assertEquals(1, s.multiplier(0));
        assertEquals(1, s.multiplier(19));
        assertEquals(0.5, s.multiplier(20));
        assertEquals(0.5, s.multiplier(39));
        assertEquals(0.25, s.multiplier(40));
    }

    @Test
    void applySetsEveryGroupFromItsInitialLr() {
        Tensor a = param(new double[]{0.4}, 1), b = param(new double[]{-0.9}, 1);
        Adam opt = new Adam(List.of(ParamGroup.of(a), ParamGroup.of(b).lr(2e-4)), Adam.Options.of(1e-3));
        StepLr s = new StepLr(15, 0.5, true);
        s.apply(opt, 14);
        assertEquals(5e-4, opt.lr(0));
        assertEquals(1e-4, opt.lr(1));
        s.apply(opt, 0);
        assertEquals(1e-3, opt.lr(0), "multipliers apply to the initial lr, not compound");
    }

    @Test
    void warmupLinear() {
        WarmupLinear s = new WarmupLinear(10, 110);
        assertEquals(0, s.multiplier(0));
        assertEquals(0.5, s.multiplier(5));
        assertEquals(1, s.multiplier(10));
        assertEquals(0.5, s.multiplier(60));
        assertEquals(0.01, s.multiplier(109), 1e-15);
        assertEquals(0, s.multiplier(110));
        assertEquals(0, s.multiplier(500));
    }

    @Test
    void warmupConstantWithMilestones() {
        WarmupConstant s = new WarmupConstant(4, 0.1, new long[]{10, 20});
        assertEquals(0, s.multiplier(0));
        assertEquals(0.5, s.multiplier(2));
        assertEquals(1, s.multiplier(4));
        assertEquals(1, s.multiplier(9));
        assertEquals(0.1, s.multiplier(10), 1e-15);
        assertEquals(0.1, s.multiplier(19), 1e-15);
        assertEquals(0.01, s.multiplier(20), 1e-15);
        assertEquals(1, new WarmupConstant(3).multiplier(1000));
    }
}

package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static dev.groundwork.engine.optim.OptimTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class StateDictTest {
    private static final int[][] SHAPES = {{2, 3}, {4}, {3}};

    /** F32 parameters from the seed; the last one never gets a gradient, so it has no state. */
    private static List<Tensor> params(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Tensor> ps = new ArrayList<>();
        for (int[] s : SHAPES) ps.add(Tensor.of(toFloat(randoms(r, s[0] * (s.length > 1 ? s[1] : 1))), s).requiresGrad(true));
        return ps;
    }

    /** Two groups: the first two tensors with the defaults, the third with its own lr. */
    private static List<ParamGroup> groups(List<Tensor> ps) {
        return List.of(ParamGroup.of(ps.get(0), ps.get(1)), ParamGroup.of(ps.get(2)).lr(3e-3));
    }

    /** Step t's gradients: the same for every run since they only depend on t. */
    private static void grads(List<Tensor> ps, int t) {
        SplittableRandom r = new SplittableRandom(1000 + t);
        for (int i = 0; i < 2; i++) setGrad(ps.get(i), randoms(r, ps.get(i).numel()));
    }

    private static void step(Optimizer opt, List<Tensor> ps, int t) {
        if (t == 1) opt.setLr(0, opt.lr(0) * 0.5); // a manual lr change the checkpoint must carry
        grads(ps, t);
        opt.step();
    }

    private static void roundTrip(Function<List<ParamGroup>, Optimizer> make) {
        List<Tensor> pa = params(7), pb = params(7);
        Optimizer a = make.apply(groups(pa)), b = make.apply(groups(pb));
        for (int t = 0; t < 5; t++) step(a, pa, t);
        for (int t = 0; t < 2; t++) step(b, pb, t);

        Map<String, Tensor> saved = throughHost(b.stateDict());
        List<Tensor> pc = new ArrayList<>();
        for (Tensor p : pb) pc.add(Tensor.of(p.toFloatArray(), p.shape()).requiresGrad(true)); // the model checkpoint
        Optimizer c = make.apply(groups(pc));
        c.loadStateDict(saved);
        for (int t = 2; t < 5; t++) step(c, pc, t);

        for (int i = 0; i < pa.size(); i++)
            assertArrayEquals(pa.get(i).toFloatArray(), pc.get(i).toFloatArray(), a.name() + " param " + i + " after resume");
        assertEquals(a.lr(0), c.lr(0));
        assertEquals(5, c.stepCount(0));
        assertEquals(0, c.stepCount(2));
    }

    @Test
    void sgdResumesBitExactly() {
        roundTrip(g -> new Sgd(g, Sgd.Options.of(0.05).withMomentum(0.9).withNesterov(true).withWeightDecay(1e-3)));
    }

    @Test
    void adamResumesBitExactly() { roundTrip(g -> new Adam(g, new Adam.Options(1e-2, 0.95, 0.999, 1e-8, 5e-7))); }

    @Test
    void adamWResumesBitExactly() { roundTrip(g -> new AdamW(g, AdamW.defaults(1e-2))); }

    @Test
    void bertAdamResumesBitExactly() { roundTrip(g -> new BertAdam(g, BertAdam.Options.of(1e-2).withMaxGradNorm(0.5))); }

    private static Adam steppedAdam() {
        List<Tensor> ps = params(8);
        Adam opt = new Adam(groups(ps), Adam.Options.of(1e-3));
        grads(ps, 0);
        opt.step();
        return opt;
    }

    @Test
    void namesAndTypes() {
        Map<String, Tensor> sd = steppedAdam().stateDict();
        assertEquals(DType.F64, sd.get("param_groups.0.lr").dtype());
        assertEquals(0, sd.get("param_groups.0.lr").dim());
        assertEquals(1e-3, sd.get("param_groups.0.lr").item());
        assertEquals(3e-3, sd.get("param_groups.1.lr").item());
        assertEquals(0.9, sd.get("param_groups.1.beta1").item());
        assertEquals(2, sd.get("param_groups.0.num_params").item());
        assertEquals(DType.I64, sd.get("state.1.step").dtype());
        assertEquals(1, sd.get("state.1.step").item());
        assertArrayEquals(new int[]{2, 3}, sd.get("state.0.exp_avg").shape());
        assertEquals(DType.F32, sd.get("state.0.exp_avg_sq").dtype());
        assertFalse(sd.containsKey("state.2.step"), "a parameter that never had a gradient has no state");
    }

    private static void assertLoadFails(Map<String, Tensor> sd, String entry) {
        List<Tensor> ps = params(8);
        Adam target = new Adam(groups(ps), Adam.Options.of(7e-4));
        var e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(sd));
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
        assertEquals(7e-4, target.lr(0), "a failed load leaves the optimizer as it was");
        assertEquals(0, target.stepCount(0));
    }

    @Test
    void loadChecksShapesAndNames() {
        Map<String, Tensor> sd = new HashMap<>(steppedAdam().stateDict());
        sd.put("state.0.exp_avg", Tensor.of(toFloat(randoms(new SplittableRandom(3), 6)), 3, 2));
        assertLoadFails(sd, "state.0.exp_avg");

        Map<String, Tensor> missing = new HashMap<>(steppedAdam().stateDict());
        missing.remove("state.1.exp_avg_sq");
        assertLoadFails(missing, "state.1.exp_avg_sq");

        Map<String, Tensor> extra = new HashMap<>(steppedAdam().stateDict());
        extra.put("state.0.momentum_buffer", Tensor.zeros(2, 3));
        assertLoadFails(extra, "state.0.momentum_buffer");

        Map<String, Tensor> groupMissing = new HashMap<>(steppedAdam().stateDict());
        groupMissing.remove("param_groups.1.eps");
        assertLoadFails(groupMissing, "param_groups.1.eps");

        Map<String, Tensor> wrongCount = new HashMap<>(steppedAdam().stateDict());
        wrongCount.put("param_groups.0.num_params", Tensor.ofLongs(new long[]{3}));
        assertLoadFails(wrongCount, "param_groups.0.num_params");
    }

    @Test
    void loadRejectsAnotherOptimizersState() {
        List<Tensor> ps = params(9);
        Sgd sgd = new Sgd(groups(ps), Sgd.Options.of(0.1).withMomentum(0.9));
        grads(ps, 0);
        sgd.step();
        Adam adam = new Adam(groups(params(9)), Adam.Options.of(1e-3));
        assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(sgd.stateDict()));
    }
}

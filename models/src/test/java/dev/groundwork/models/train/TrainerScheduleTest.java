package dev.groundwork.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.AdamW;
import dev.groundwork.engine.optim.BertAdam;
import dev.groundwork.engine.optim.Optimizer;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.optim.Sgd;
import dev.groundwork.engine.optim.StepLr;
import dev.groundwork.engine.optim.WarmupLinear;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimizer factories, and learning-rate schedules counted per step and per epoch through the {@link Trainer}. */
class TrainerScheduleTest {
    @TempDir Path dir;

    private static List<JsonNode> records(Path exp, String kind) throws Exception {
        return new MetricsLog(exp.resolve(Trainer.METRICS)).read().stream().filter(n -> MetricsLog.kind(n).equals(kind)).toList();
    }

    /** Records every optimizer it builds, so a test can see what the trainer ran. */
    private static OptimizerFactory recording(OptimizerFactory f, List<Optimizer> made) {
        return groups -> {
            Optimizer o = f.create(groups);
            made.add(o);
            return o;
        };
    }

    @Test
    void bertAdamWithWarmupLinearSetsTheScheduledLrBeforeEveryStep() throws Exception {
        List<Optimizer> made = new ArrayList<>();
        WarmupLinear warmup = new WarmupLinear(3, 12);
        TrainerConfig cfg = TrainerConfig.of(3, recording(OptimizerFactory.bertAdam(BertAdam.Options.of(0.1)), made), Schedule.perStep(warmup), dir)
                .withProgress(null, "t").withLogEverySteps(1);
        var src = new ShuffledList<>(LineTask.batches(4, 1), new Generator(2), true);
        Trainer.Result r = new Trainer<>(new LineTask(), src, null, cfg).fit();

        assertEquals(12, r.steps());
        assertEquals(1, made.size());
        assertInstanceOf(BertAdam.class, made.get(0));
        List<JsonNode> steps = records(dir, MetricsLog.STEP);
        assertEquals(12, steps.size());
        for (int t = 0; t < 12; t++) {
            // The record of step t + 1 holds the lr its update used: the schedule at t updates already made.
            assertEquals(t + 1, steps.get(t).path("step").asLong());
            assertEquals(0.1 * warmup.multiplier(t), steps.get(t).path("lr").asDouble(), 0.0, "step " + (t + 1));
        }
        assertEquals(0.0, steps.get(0).path("lr").asDouble());             // warm-up starts at 0
        assertEquals(0.1, steps.get(3).path("lr").asDouble(), 1e-15);      // peak at the end of warm-up
        List<Double> l = r.stepLosses();
        assertTrue(l.get(11) < 0.5 * l.get(0), "BertAdam lowered no loss: " + l);
    }

    @Test
    void stepLrHoldsOneLrPerEpoch() throws Exception {
        StepLr halving = new StepLr(2, 0.5, false);
        TrainerConfig cfg = TrainerConfig.of(4, OptimizerFactory.sgd(Sgd.Options.of(0.2).withMomentum(0.9)), Schedule.perEpoch(halving), dir)
                .withProgress(null, "t").withLogEverySteps(1);
        new Trainer<>(new LineTask(), new ShuffledList<>(LineTask.batches(3, 4), new Generator(5), false), null, cfg).fit();
        List<JsonNode> epochs = records(dir, MetricsLog.EPOCH);
        double[] expected = {0.2, 0.2, 0.1, 0.1};
        for (int e = 0; e < 4; e++) assertEquals(expected[e], epochs.get(e).path("lr").asDouble(), 0.0, "epoch " + (e + 1));
        for (JsonNode s : records(dir, MetricsLog.STEP))
            assertEquals(expected[s.path("epoch").asInt() - 1], s.path("lr").asDouble(), 0.0, "step " + s.path("step"));
    }

    /** A per-step schedule counts the steps restored from the checkpoint: stop mid-epoch, resume, same lr every step. */
    @Test
    void perStepScheduleContinuesAcrossAStopAndResume() throws Exception {
        WarmupLinear warmup = new WarmupLinear(4, 9);
        TrainerConfig base = TrainerConfig.of(3, OptimizerFactory.bertAdam(BertAdam.Options.of(0.05)), Schedule.perStep(warmup), dir.resolve("a"))
                .withProgress(null, "t").withLogEverySteps(1);
        List<float[][]> data = LineTask.batches(3, 7);
        Trainer.Result whole = new Trainer<>(new LineTask(), new ShuffledList<>(data, new Generator(3), true), null, base).fit();

        TrainerConfig b = new TrainerConfig(3, base.optimizer(), base.schedule(), dir.resolve("b"), false, null, "t", 1, 5);
        assertEquals(5, new Trainer<>(new LineTask(), new ShuffledList<>(data, new Generator(3), true), null, b).fit().steps());
        Trainer.Result rest = new Trainer<>(new LineTask(), new ShuffledList<>(data, new Generator(3), true), null, b.withResume(true).withMaxSteps(0)).fit();

        assertEquals(whole.stepLosses().subList(5, 9), rest.stepLosses());
        List<JsonNode> a = records(dir.resolve("a"), MetricsLog.STEP), c = records(dir.resolve("b"), MetricsLog.STEP);
        assertEquals(9, c.size());
        for (int t = 0; t < 9; t++) assertEquals(a.get(t).path("lr").asDouble(), c.get(t).path("lr").asDouble(), 0.0, "step " + (t + 1));
    }

    @Test
    void factoriesBuildTheirOptimizerFromTheGroupsWithTheirOptions() {
        List<ParamGroup> groups = List.of(ParamGroup.of(Tensor.ones(2).requiresGrad(true)));
        Optimizer sgd = OptimizerFactory.sgd(Sgd.Options.of(0.01).withMomentum(0.9).withWeightDecay(1e-4)).create(groups);
        assertInstanceOf(Sgd.class, sgd);
        assertHyper(sgd, Map.of("lr", 0.01, Sgd.MOMENTUM, 0.9, "weight_decay", 1e-4));
        Optimizer adam = OptimizerFactory.adam(new Adam.Options(5e-5, 0.95, 0.999, 1e-8, 5e-7)).create(groups);
        assertEquals(Adam.class, adam.getClass());
        assertHyper(adam, Map.of("lr", 5e-5, Adam.BETA1, 0.95, Adam.BETA2, 0.999, Adam.EPS, 1e-8, "weight_decay", 5e-7));
        assertInstanceOf(AdamW.class, OptimizerFactory.adamW(AdamW.defaults(1e-3)).create(groups));
        Optimizer bert = OptimizerFactory.bertAdam(BertAdam.Options.of(1e-4)).create(groups);
        assertInstanceOf(BertAdam.class, bert);
        assertHyper(bert, Map.of("lr", 1e-4, Adam.BETA1, 0.9, Adam.EPS, 1e-6, "weight_decay", 0.01, BertAdam.MAX_GRAD_NORM, 1.0));
        assertEquals(groups.get(0).params(), bert.params());
    }

    private static void assertHyper(Optimizer o, Map<String, Double> expected) {
        Map<String, Double> h = o.paramGroups().get(0).hyperParameters();
        expected.forEach((k, v) -> assertEquals(v, h.get(k), 0.0, o.name() + " " + k));
    }
}

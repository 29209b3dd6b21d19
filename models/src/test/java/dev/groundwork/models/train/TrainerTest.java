package dev.groundwork.models.train;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.StepLr;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.data.RelationBatch;
import dev.groundwork.models.vgbert.RelationalModel;
import dev.groundwork.models.vgbert.TinyVgBert;
import dev.groundwork.models.vgbert.TransferModel;
import dev.groundwork.models.vgbert.TwoStreamModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    /** VG-BERT's Adam (§6.1) with its per-epoch step decay, silent. */
    static TrainerConfig adam(Path dir, int epochs, double lr) {
        return TrainerConfig.of(epochs, OptimizerFactory.adam(new Adam.Options(lr, 0.95, 0.999, 1e-8, 5e-7)),
                Schedule.perEpoch(new StepLr(15, 0.5, true)), dir).withProgress(null, "test");
    }

    private static double mean(List<Double> l, int from, int to) {
        return l.subList(from, to).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void relationalTrainingLowersTheLossAndWritesItsFiles(@TempDir Path dir) throws Exception {
        List<RelationBatch> data = TinyVgBert.relations(4, 3, 11);
        RelationalModel m = new RelationalModel(TinyVgBert.config(), 2, new Generator(5));
        var src = new ShuffledList<>(data, new Generator(9), false);
        Trainer.Result r = new Trainer<>(m, src, src, adam(dir, 8, 1e-2)).fit();
        List<Double> l = r.stepLosses();
        // Random labels: the net can only memorise them, so ask for a clear but modest drop.
        assertTrue(mean(l, l.size() - 4, l.size()) < 0.9 * mean(l, 0, 4), "loss " + l);
        assertTrue(Files.exists(dir.resolve(Trainer.CHECKPOINT)));
        assertTrue(Files.exists(dir.resolve(Trainer.BEST)));
        var lines = new MetricsLog(dir.resolve(Trainer.METRICS)).read();
        assertEquals(8, lines.size());
        assertTrue(lines.get(7).path("val").has("relation_acc1"));
        assertTrue(lines.get(7).path("val").has("object_acc10"));
    }

    @Test
    void twoStreamTrainingLowersTheLoss(@TempDir Path dir) throws Exception {
        List<CaptionBatch> data = TinyVgBert.captions(3, 4, 12);
        TwoStreamModel m = new TwoStreamModel(TinyVgBert.config(), 2, new Generator(5));
        var src = new ShuffledList<>(data, new Generator(9), false);
        List<Double> l = new Trainer<>(m, src, null, adam(dir, 6, 3e-3)).fit().stepLosses();
        assertTrue(mean(l, l.size() - 3, l.size()) < 0.8 * mean(l, 0, 3), "loss " + l);
    }

    /** Interrupt after epoch 2 of 3, resume in a fresh process state: epoch 3's losses are bit-identical. */
    @Test
    void resumeEqualsUninterrupted(@TempDir Path dir) throws Exception {
        List<CaptionBatch> data = TinyVgBert.captions(3, 3, 13);
        List<CaptionBatch> val = TinyVgBert.captions(1, 3, 14);
        Trainer.Result full = run(dir.resolve("a"), data, val, 3, false);
        run(dir.resolve("b"), data, val, 2, false);
        Trainer.Result resumed = run(dir.resolve("b"), data, val, 3, true);
        List<Double> tail = full.stepLosses().subList(6, 9);
        assertEquals(tail, resumed.stepLosses());
        assertEquals(full.steps(), resumed.steps());
        var a = dev.groundwork.engine.io.Checkpoint.load(dir.resolve("a").resolve(Trainer.CHECKPOINT));
        var b = dev.groundwork.engine.io.Checkpoint.load(dir.resolve("b").resolve(Trainer.CHECKPOINT));
        for (var e : a.model().entrySet()) assertArrayEquals(e.getValue().toFloatArray(), b.model().get(e.getKey()).toFloatArray(), e.getKey());
        assertEquals(a.rng().keySet(), b.rng().keySet());
        assertTrue(a.rng().containsKey("data.order") && a.rng().containsKey("model.model"), a.rng().keySet().toString());
        assertEquals(3, new MetricsLog(dir.resolve("b").resolve(Trainer.METRICS)).read().size());
    }

    private static Trainer.Result run(Path dir, List<CaptionBatch> data, List<CaptionBatch> val, int epochs, boolean resume) throws Exception {
        TwoStreamModel m = new TwoStreamModel(TinyVgBert.config(), 2, new Generator(5));   // dropout on: draws must resume too
        var src = new ShuffledList<>(data, new Generator(9), true);
        var v = new ShuffledList<>(val, new Generator(0), false);
        return new Trainer<>(m, src, v, adam(dir, epochs, 1e-3).withResume(resume)).fit();
    }

    @Test
    void transferMovesOnlyItsHeads(@TempDir Path dir) throws Exception {
        TransferModel m = new TransferModel(TinyVgBert.config(), new Generator(5));
        Map<String, float[]> before = new java.util.HashMap<>();
        m.stateDict().forEach((k, v) -> before.put(k, v.toFloatArray()));
        var src = new ShuffledList<>(TinyVgBert.captions(2, 3, 15), new Generator(9), false);
        Trainer.Result r = new Trainer<>(m, src, null, adam(dir, 1, 1e-3)).fit();
        assertTrue(r.stepLosses().stream().allMatch(Double::isFinite));
        m.stateDict().forEach((k, v) -> {
            boolean head = k.startsWith("image_projection_head.") || k.startsWith("language_projection_head.");
            assertEquals(head, !java.util.Arrays.equals(before.get(k), v.toFloatArray()), k);
        });
    }

    @Test
    void anExistingRunNeedsResume(@TempDir Path dir) throws Exception {
        List<CaptionBatch> data = TinyVgBert.captions(1, 2, 1);
        run(dir, data, data, 1, false);
        var e = assertThrows(InvalidSettingException.class, () -> run(dir, data, data, 2, false));
        assertEquals("resume", e.setting());
        assertTrue(e.getMessage().contains("already holds " + Trainer.CHECKPOINT), e.getMessage());
    }

    @Test
    void nanLossStopsWithTrainingDiverged(@TempDir Path dir) {
        var task = new StageTask<Integer>() {
            final Module m = new Module() {{ registerParameter("w", Tensor.ones(1)); }};
            public Module model() { return m; }
            public StepOutput step(Integer b) {
                Tensor loss = m.get("w").mul(b == 1 ? Double.NaN : 1.0).sum();
                return new StepOutput(loss, Map.of(), Map.of(), 1);
            }
            public Selection selection() { return Selection.min("loss_sum"); }
            public Map<String, Generator> generators() { return Map.of(); }
        };
        var src = new ShuffledList<>(List.of(0, 1, 0), new Generator(1), false);
        var e = assertThrows(TrainingDivergedException.class, () -> new Trainer<>(task, src, null, adam(dir, 2, 1e-3)).fit());
        assertTrue(e.getMessage().startsWith("training diverged"), e.getMessage());
    }
}

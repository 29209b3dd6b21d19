package dev.groundwork.models.train;

import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.optim.Sgd;
import dev.groundwork.engine.optim.StepLr;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run leaves behind when it diverges, is killed, is stopped by a signal or is resumed with other settings. */
class TrainerFaultsTest {
    /** A linear regression with dropout (so the model generator matters) and a hook run before each step. */
    static final class Regression extends Module implements StageTask<Tensor> {
        final Generator gen = new Generator(3);
        final Linear fc = registerModule("fc", new Linear(6, 1, gen));
        final Dropout drop = registerModule("drop", new Dropout(0.2, gen));
        final Tensor target = Tensor.randn(new Generator(4), 6, 1);
        java.util.function.LongConsumer beforeStep = s -> {};
        long steps;

        public Module model() { return this; }

        public StepOutput step(Tensor x) {
            beforeStep.accept(++steps);
            Tensor err = fc.forward(drop.forward(x)).sub(x.matmul(target));
            return new StepOutput(err.mul(err).mean(), Map.of(), Map.of(), x.size(0));
        }

        public Selection selection() { return Selection.min("loss"); }

        public Map<String, Generator> generators() { return Map.of("dropout", gen); }
    }

    static List<Tensor> batches(int n) {
        Generator g = new Generator(11);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Tensor.randn(g, 4, 6));
        return out;
    }

    static TrainerConfig config(Path dir, int epochs, double lr) {
        return TrainerConfig.of(epochs, OptimizerFactory.sgd(new Sgd.Options(lr, 0.9, 0, false, 1e-4)),
                Schedule.perEpoch(new StepLr(2, 0.5, false)), dir).withProgress(null, "t");
    }

    static Trainer.Result fit(Regression task, Path dir, TrainerConfig cfg) throws Exception {
        return new Trainer<>(task, new ShuffledList<>(batches(5), new Generator(9), true), null, cfg).fit();
    }

    static float[] weights(Path checkpoint) throws Exception {
        return Checkpoint.load(checkpoint).model().get("fc.weight").toFloatArray();
    }

    @Test
    void aDivergingRunWritesNoNonFiniteCheckpoint(@TempDir Path dir) throws Exception {
        // One good epoch at lr 0.01, then the schedule multiplies it by 1e41: epoch 2's first update overflows.
        var e = assertThrows(TrainingDivergedException.class, () -> fit(new Regression(), dir,
                TrainerConfig.of(3, OptimizerFactory.sgd(Sgd.Options.of(0.01)), Schedule.perEpoch(new StepLr(1, 1e41, false)), dir)
                        .withProgress(null, "t")));
        float[] good = weights(dir.resolve(Trainer.CHECKPOINT));
        assertEquals(1, Checkpoint.load(dir.resolve(Trainer.CHECKPOINT)).epoch(), "the epoch-1 checkpoint is the last good one");
        assertTrue(e.getMessage().contains("training diverged") && e.getMessage().contains("step"), e.getMessage());
        for (float v : good) assertTrue(Float.isFinite(v));
        for (Path f : List.of(dir.resolve(Trainer.CHECKPOINT), dir.resolve(Trainer.BEST)))
            for (Tensor t : TensorFiles.load(f).values())
                for (double v : t.toDoubleArray()) assertTrue(Double.isFinite(v), f + " holds " + v);
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temp file was left");
        }
    }

    @Test
    void aNonFiniteUpdateAtAnEpochsLastStepIsCaughtBeforeSaving(@TempDir Path dir) {
        // One batch per epoch: the poisoned weights are never used for a loss, only saved.
        var e = assertThrows(TrainingDivergedException.class, () -> new Trainer<>(new Regression(),
                new ShuffledList<>(batches(1), new Generator(9), false), null,
                TrainerConfig.of(2, OptimizerFactory.sgd(Sgd.Options.of(1e39)), Schedule.perEpoch(new StepLr(2, 0.5, false)), dir)
                        .withProgress(null, "t")).fit());
        assertTrue(e.getMessage().contains("by step 1") && e.getMessage().contains("'model.fc.") && e.getMessage().contains("nothing was written"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve(Trainer.CHECKPOINT)));
        assertFalse(Files.exists(dir.resolve(Trainer.BEST)));
    }

    @Test
    void staleTempFilesGoAtTheNextStart(@TempDir Path dir) throws Exception {
        Path stale = Files.writeString(dir.resolve(".checkpoint.safetensors.3fa9c0d1e2b4a5f6.tmp"), "half a checkpoint");
        Path staleBest = Files.writeString(dir.resolve(".best.safetensors.12ab.tmp"), "half");
        Path unrelated = Files.writeString(dir.resolve(".notes.tmp"), "mine");
        fit(new Regression(), dir, config(dir, 1, 0.01));
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleBest));
        assertTrue(Files.exists(unrelated), "only the checkpoints' own temp files are removed");
    }

    @Test
    void aFreshStartAfterAKillBeforeTheFirstCheckpointDoesNotDoubleTheLog(@TempDir Path dir) throws Exception {
        // What a kill during the first checkpoint write leaves: best and the epoch-1 record, no checkpoint.
        fit(new Regression(), dir, config(dir, 1, 0.01));
        Files.delete(dir.resolve(Trainer.CHECKPOINT));
        fit(new Regression(), dir, config(dir, 2, 0.01));
        var records = new MetricsLog(dir.resolve(Trainer.METRICS)).read();
        assertEquals(List.of(1, 2), records.stream().map(n -> n.path("epoch").asInt()).toList());
    }

    @Test
    void aStopRequestMidEpochResumesToTheUninterruptedWeights(@TempDir Path dir) throws Exception {
        fit(new Regression(), dir.resolve("whole"), config(dir.resolve("whole"), 3, 0.05));

        StopRequest stop = new StopRequest();
        Regression first = new Regression();
        first.beforeStep = s -> { if (s == 7) stop.request("SIGTERM"); };   // epoch 2, after its second batch
        Trainer.Result r = fit(first, dir.resolve("cut"), config(dir.resolve("cut"), 3, 0.05).withStop(stop));
        assertTrue(r.interrupted());
        assertEquals("SIGTERM", r.stoppedBy());
        assertEquals(7, r.steps());
        Trainer.Result rest = fit(new Regression(), dir.resolve("cut"), config(dir.resolve("cut"), 3, 0.05).withResume(true));
        assertFalse(rest.interrupted());
        assertEquals(15, rest.steps());
        assertArrayEquals(weights(dir.resolve("whole").resolve(Trainer.CHECKPOINT)), weights(dir.resolve("cut").resolve(Trainer.CHECKPOINT)));
        assertEquals(new MetricsLog(dir.resolve("whole").resolve(Trainer.METRICS)).read().stream().map(n -> n.path("train")).toList(),
                new MetricsLog(dir.resolve("cut").resolve(Trainer.METRICS)).read().stream().map(n -> n.path("train")).toList());
    }

    @Test
    void saveEveryStepsLetsACrashedRunResumeMidEpoch(@TempDir Path dir) throws Exception {
        fit(new Regression(), dir.resolve("whole"), config(dir.resolve("whole"), 2, 0.05));
        Regression crashing = new Regression();
        crashing.beforeStep = s -> { if (s == 9) throw new IllegalStateException("killed"); };
        assertThrows(IllegalStateException.class, () -> fit(crashing, dir.resolve("crash"), config(dir.resolve("crash"), 2, 0.05).withSaveEverySteps(4)));
        assertEquals(8, Checkpoint.load(dir.resolve("crash").resolve(Trainer.CHECKPOINT)).step(), "the step-8 checkpoint, mid-epoch 2");
        fit(new Regression(), dir.resolve("crash"), config(dir.resolve("crash"), 2, 0.05).withSaveEverySteps(4).withResume(true));
        assertArrayEquals(weights(dir.resolve("whole").resolve(Trainer.CHECKPOINT)), weights(dir.resolve("crash").resolve(Trainer.CHECKPOINT)));
    }

    @Test
    void aResumeWithOtherSettingsIsRefusedOrAppliedAndSaid(@TempDir Path dir) throws Exception {
        fit(new Regression(), dir, config(dir, 1, 0.05).withSettings(Map.of("lr", "0.05", "batchSize", "4")));
        var e = assertThrows(InvalidSettingException.class, () -> fit(new Regression(), dir,
                config(dir, 2, 0.05).withSettings(Map.of("lr", "1000000.0", "batchSize", "8")).withResume(true)));
        assertTrue(e.getMessage().contains("lr 1000000.0 (the checkpoint has 0.05)") && e.getMessage().contains("batchSize 8 (the checkpoint has 4)"),
                e.getMessage());
        assertEquals(1, Checkpoint.load(dir.resolve(Trainer.CHECKPOINT)).epoch(), "nothing ran");

        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Trainer.Result r = fit(new Regression(), dir, config(dir, 2, 0.05).withSettings(Map.of("lr", "0.05", "batchSize", "4"))
                .withResume(true).withProgress(new PrintStream(said, true), "t"));
        assertEquals(2, r.epochs());
        assertTrue(said.toString().contains("resuming with epochs 2 (the checkpoint has 1)"), said.toString());
    }
}

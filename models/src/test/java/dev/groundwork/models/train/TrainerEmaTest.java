package dev.groundwork.models.train;

import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The trainer's weight average (InterBERT fine-tuning): updated every step, saved beside the raw weights, resumed exactly. */
class TrainerEmaTest {
    @TempDir Path dir;

    private final List<float[][]> data = LineTask.batches(5, 31), val = LineTask.batches(1, 32);

    private Trainer.Result run(Path exp, TrainerConfig cfg) throws Exception {
        return new Trainer<>(new LineTask(), new ShuffledList<>(data, new Generator(4), true), new ShuffledList<>(val, new Generator(0), false), cfg).fit();
    }

    private static TrainerConfig cfg(Path exp, int epochs) { return TrainerTest.adam(exp, epochs, 0.05).withEma(0.9); }

    /** The average of a run whose weights we replay by hand: shadow = 0.9 shadow + 0.1 w after every step, starting at w0. */
    @Test
    void bestEmaHoldsTheAverageOfEveryStepsWeights() throws Exception {
        Path a = dir.resolve("a");
        // Replay the same optimisation without EMA, reading w and b after each step through maxSteps runs.
        double sw = 0.5, sb = 0;
        for (int k = 1; k <= 10; k++) {
            Path p = dir.resolve("replay" + k);
            run(p, TrainerTest.adam(p, 2, 0.05).withMaxSteps(k));
            var m = Checkpoint.load(p.resolve(Trainer.CHECKPOINT)).model();
            sw = 0.9 * sw + 0.1 * m.get("w").item();
            sb = 0.9 * sb + 0.1 * m.get("b").item();
        }
        Trainer.Result r = run(a, cfg(a, 2));
        assertEquals(10, r.steps());
        var ckpt = Checkpoint.load(a.resolve(Trainer.CHECKPOINT));
        // The checkpoint keeps the average under optimizer.ema.*, in float32 as the weights.
        assertEquals(sw, ckpt.optimizer().get("ema.shadow.0").item(), 1e-6);
        assertEquals(sb, ckpt.optimizer().get("ema.shadow.1").item(), 1e-6);
        var ema = Checkpoint.load(a.resolve(Trainer.BEST_EMA)).model();
        var raw = Checkpoint.load(a.resolve(Trainer.BEST)).model();
        assertNotEquals(raw.get("w").item(), ema.get("w").item(), "best_ema holds the average, not the raw weights");
    }

    /** Stopped mid-epoch and resumed, the average continues where it was: checkpoint and best_ema equal an unstopped run's. */
    @Test
    void aResumedRunContinuesTheSameAverage() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        run(a, cfg(a, 3));
        run(b, cfg(b, 3).withMaxSteps(7));
        run(b, cfg(b, 3).withResume(true));
        var ca = Checkpoint.load(a.resolve(Trainer.CHECKPOINT)).optimizer();
        var cb = Checkpoint.load(b.resolve(Trainer.CHECKPOINT)).optimizer();
        assertEquals(ca.keySet(), cb.keySet());
        for (var e : ca.entrySet()) assertArrayEquals(e.getValue().toDoubleArray(), cb.get(e.getKey()).toDoubleArray(), e.getKey());
        Tensor wa = Checkpoint.load(a.resolve(Trainer.BEST_EMA)).model().get("w"), wb = Checkpoint.load(b.resolve(Trainer.BEST_EMA)).model().get("w");
        assertEquals(wa.item(), wb.item(), 0.0);
    }
}

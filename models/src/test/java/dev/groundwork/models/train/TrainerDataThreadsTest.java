package dev.groundwork.models.train;

import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.DataLoader;
import dev.groundwork.models.data.Dataset;
import dev.groundwork.engine.optim.Sgd;
import dev.groundwork.engine.optim.StepLr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A training step that throws must not leave the data loader's worker threads behind. */
class TrainerDataThreadsTest {
    /** Items are random rows of 4 features; decoding sleeps a little so workers are busy when the step fails. */
    static final class Rows implements Dataset<Tensor> {
        public int size() { return 200; }

        public Tensor get(int index, Generator rng) {
            try { Thread.sleep(1); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            return Tensor.randn(rng, 4);
        }
    }

    /** A linear model whose third step throws, as a diverging or buggy step would. */
    static final class FailingTask implements StageTask<Tensor> {
        final Module model = new Linear(4, 1, new Generator(1));
        int steps;

        public Module model() { return model; }

        public StepOutput step(Tensor batch) {
            if (++steps == 3) throw new IllegalStateException("the step failed");
            Tensor loss = ((Linear) model).forward(batch).mul(((Linear) model).forward(batch)).mean();
            return new StepOutput(loss, Map.of(), Map.of(), batch.size(0));
        }

        public Selection selection() { return Selection.min("loss"); }

        public Map<String, Generator> generators() { return Map.of(); }
    }

    static long dataThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("gw-data-") && t.isAlive()).count();
    }

    @Test
    void aStepThatThrowsLeavesNoDataWorkerAlive(@TempDir Path dir) {
        long before = dataThreads();
        var loader = new DataLoader<>(new Rows(), items -> dev.groundwork.engine.ops.F.stack(List.copyOf(items), 0), DataLoader.Options.of(4, 7).workers(3).prefetch(16));
        TrainerConfig cfg = TrainerConfig.of(2, OptimizerFactory.sgd(Sgd.Options.of(0.1)), Schedule.perEpoch(new StepLr(10, 0.5, false)), dir)
                .withProgress(null, "test");
        assertThrows(IllegalStateException.class, () -> {
            try (BatchSource<Tensor> src = new LoaderSource<>(loader)) {
                new Trainer<>(new FailingTask(), src, null, cfg).fit();
            }
        });
        assertEquals(before, dataThreads(), "data worker threads still alive after the step threw");
    }
}

package dev.groundwork.engine.io;

import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Sequential;
import dev.groundwork.engine.nn.Tanh;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.optim.StepLr;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Stopping after k steps, checkpointing, rebuilding everything from scratch and loading the
 * checkpoint must continue exactly as the uninterrupted run: same losses, same parameters, bit for bit.
 */
class CheckpointResumeTest {
    @TempDir Path dir;

    /** Everything a run owns: model, optimizer, schedule and its random streams. */
    static final class Run {
        final Generator dropoutGen = new Generator(11), dataGen = new Generator(22);
        final Sequential model;
        final Adam opt;
        final StepLr schedule = new StepLr(2, 0.5, true);
        long step;

        Run(long initSeed) {
            Generator init = new Generator(initSeed);
            model = new Sequential(new Linear(6, 16, init), new Tanh(), new Dropout(0.3, dropoutGen), new Linear(16, 4, init));
            opt = new Adam(List.of(ParamGroup.of(model.parameters())), new Adam.Options(1e-2, 0.95, 0.999, 1e-8, 5e-7));
        }

        double trainStep() {
            schedule.apply(opt, (int) (step / 2));
            Tensor x = Tensor.randn(dataGen, 8, 6);
            long[] y = new long[8];
            for (int i = 0; i < 8; i++) y[i] = dataGen.nextInt(4);
            Tensor loss = F.crossEntropy(model.forward(x), Tensor.ofLongs(y, 8));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            step++;
            return loss.item();
        }

        Checkpoint checkpoint() {
            return new Checkpoint(model.stateDict(), opt.stateDict(), step, (int) (step / 2),
                    Checkpoint.states(Map.of("dropout", dropoutGen, "data", dataGen)), Map.of("note", "test"));
        }

        void restore(Checkpoint c) {
            model.loadStateDict(c.model(), true);
            opt.loadStateDict(c.optimizer());
            c.restore(Map.of("dropout", dropoutGen, "data", dataGen));
            step = c.step();
        }
    }

    @Test void resumedRunMatchesUninterruptedBitForBit() throws IOException {
        Run straight = new Run(1);
        List<Double> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) expected.add(straight.trainStep());

        Run first = new Run(1);
        List<Double> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) got.add(first.trainStep());
        Path p = dir.resolve("ckpt.safetensors");
        first.checkpoint().save(p);

        Run resumed = new Run(999);           // different init: everything must come from the file
        Checkpoint c = Checkpoint.load(p);
        assertEquals(3, c.step());
        assertEquals("test", c.extra().get("note"));
        resumed.restore(c);
        for (int i = 0; i < 4; i++) got.add(resumed.trainStep());

        assertEquals(expected, got, "losses after resume");
        var a = straight.model.stateDict();
        var b = resumed.model.stateDict();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), 0f, k);
        assertTrue(expected.get(6) < expected.get(0) * 1.5, "the run trains (sanity)");
    }

    @Test void equalStatesGiveEqualFilesWhateverTheOptimizersOrder() throws IOException {
        Map<String, Tensor> model = new java.util.LinkedHashMap<>();
        model.put("w", Tensor.of(new float[]{1, 2, 3}, 3));
        Map<String, Tensor> a = new java.util.LinkedHashMap<>(), b = new java.util.LinkedHashMap<>();
        a.put("state.0.exp_avg", Tensor.of(new float[]{1}, 1));
        a.put("state.1.exp_avg", Tensor.of(new float[]{2}, 1));
        b.put("state.1.exp_avg", a.get("state.1.exp_avg"));
        b.put("state.0.exp_avg", a.get("state.0.exp_avg"));
        Path pa = dir.resolve("a.safetensors"), pb = dir.resolve("b.safetensors");
        new Checkpoint(model, a, 3, 1, Map.of(), Map.of()).save(pa);
        new Checkpoint(model, b, 3, 1, Map.of(), Map.of()).save(pb);
        assertArrayEquals(Files.readAllBytes(pa), Files.readAllBytes(pb));
    }

    @Test void aNonFiniteTensorIsRefusedAndNothingIsWritten() throws IOException {
        Path p = dir.resolve("nan.safetensors");
        Files.writeString(p, "previous");
        var e = assertThrows(NonFiniteTensorException.class, () -> new Checkpoint(Map.of("w", Tensor.of(new float[]{1, Float.NaN}, 2)),
                Map.of(), 1, 1, Map.of(), Map.of()).save(p));
        assertEquals("model.w", e.tensor());
        assertTrue(e.getMessage().contains("NaN at flat index 1"), e.getMessage());
        assertEquals("previous", Files.readString(p));
        e = assertThrows(NonFiniteTensorException.class, () -> new Checkpoint(Map.of(), Map.of("state.0.exp_avg_sq",
                Tensor.of(new double[]{Double.POSITIVE_INFINITY}, 1)), 1, 1, Map.of(), Map.of()).save(p));
        assertEquals("optimizer.state.0.exp_avg_sq", e.tensor());
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test void refusesFilesThatAreNotCheckpoints() throws IOException {
        Path p = dir.resolve("plain.safetensors");
        TensorFiles.save(p, Map.of("w", Tensor.ones(2)));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(p));
        assertTrue(e.getMessage().contains("not a Groundwork checkpoint"), e.getMessage());
    }

    @Test void missingGeneratorStateIsAnError() throws IOException {
        Run r = new Run(1);
        r.trainStep();
        Path p = dir.resolve("c.safetensors");
        r.checkpoint().save(p);
        Checkpoint c = Checkpoint.load(p);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.restore(Map.of("augment", new Generator(1))));
        assertTrue(e.getMessage().contains("'augment'"), e.getMessage());
        assertTrue(Files.size(p) > 0);
    }
}

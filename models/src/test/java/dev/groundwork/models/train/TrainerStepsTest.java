package dev.groundwork.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.vgbert.TinyVgBert;
import dev.groundwork.models.vgbert.TwoStreamModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Step records every N steps, and a step limit that stops mid-epoch and resumes as if it never had. */
class TrainerStepsTest {
    @TempDir Path dir;

    private final List<CaptionBatch> data = TinyVgBert.captions(4, 3, 21);
    private final List<CaptionBatch> val = TinyVgBert.captions(1, 3, 22);

    /** Stage 2's tiny model: dropout on and a shuffled order, so both generator streams must resume exactly. */
    private Trainer.Result run(Path exp, TrainerConfig cfg) throws Exception {
        TwoStreamModel m = new TwoStreamModel(TinyVgBert.config(), 2, new Generator(5));
        return new Trainer<>(m, new ShuffledList<>(data, new Generator(9), true), new ShuffledList<>(val, new Generator(0), false), cfg).fit();
    }

    private static TrainerConfig cfg(Path exp, int epochs) { return TrainerTest.adam(exp, epochs, 1e-3).withLogEverySteps(2); }

    private static List<JsonNode> records(Path exp) throws Exception { return new MetricsLog(exp.resolve(Trainer.METRICS)).read(); }

    @Test
    void everyNStepsARecordOfTheMeanLossAndALine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Trainer.Result r = run(dir, cfg(dir, 2).withProgress(new PrintStream(err, true, StandardCharsets.UTF_8), "two-stream"));
        List<JsonNode> all = records(dir);
        List<JsonNode> steps = all.stream().filter(n -> MetricsLog.kind(n).equals(MetricsLog.STEP)).toList();
        assertEquals(List.of(2L, 4L, 6L, 8L), steps.stream().map(n -> n.path("step").asLong()).toList());
        assertEquals(List.of(1, 1, 2, 2), steps.stream().map(n -> n.path("epoch").asInt()).toList());
        List<Double> l = r.stepLosses();
        for (int k = 0; k < 4; k++) {
            JsonNode s = steps.get(k);
            assertEquals((l.get(2 * k) + l.get(2 * k + 1)) / 2, s.path("loss").asDouble(), 1e-12, s.toString());
            assertEquals(1e-3, s.path("lr").asDouble(), 0.0);
            assertTrue(s.path("samples_per_s").asDouble() > 0, s.toString());
        }
        assertEquals(2, all.stream().filter(n -> MetricsLog.kind(n).equals(MetricsLog.EPOCH)).count());
        String lines = err.toString(StandardCharsets.UTF_8);
        assertTrue(lines.contains("two-stream step 6  epoch 2  loss "), lines);
    }

    /**
     * A limit of 6 steps with 4 batches an epoch stops 2 batches into epoch 2: a partial record, a
     * checkpoint of that position, best.safetensors untouched. Resumed without the limit, the run
     * continues at batch 3 and ends where a run that never stopped ends: same losses, weights, records.
     */
    @Test
    void aStepLimitStopsMidEpochAndTheResumedRunEqualsAnUnstoppedOne() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        Trainer.Result whole = run(a, cfg(a, 3));

        Trainer.Result stopped = run(b, cfg(b, 3).withMaxSteps(6));
        assertEquals(6, stopped.steps());
        assertEquals(1, stopped.epochs());
        assertEquals(whole.stepLosses().subList(0, 6), stopped.stepLosses());
        JsonNode partial = records(b).getLast();
        assertEquals(MetricsLog.PARTIAL, MetricsLog.kind(partial));
        assertEquals(2, partial.path("epoch").asInt());
        assertEquals(6, partial.path("step").asLong());
        assertEquals(2, partial.path("batches").asInt());
        assertEquals(4, partial.path("batches_per_epoch").asInt());
        assertFalse(partial.has("val"));
        Checkpoint c = Checkpoint.load(b.resolve(Trainer.CHECKPOINT));
        assertEquals(1, c.epoch());
        assertEquals(6, c.step());
        assertEquals("2", c.extra().get(Trainer.EPOCH_BATCHES));
        assertEquals(1, Checkpoint.load(b.resolve(Trainer.BEST)).epoch(), "best.safetensors must stay epoch 1's");

        // Resuming with the limit already reached does nothing.
        Trainer.Result again = run(b, cfg(b, 3).withMaxSteps(6).withResume(true));
        assertEquals(6, again.steps());
        assertTrue(again.stepLosses().isEmpty());
        assertEquals(partial, records(b).getLast());

        Trainer.Result rest = run(b, cfg(b, 3).withResume(true));
        assertEquals(whole.stepLosses().subList(6, 12), rest.stepLosses());
        assertEquals(whole.steps(), rest.steps());
        assertEquals(whole.bestEpoch(), rest.bestEpoch());
        assertEquals(whole.bestMetric(), rest.bestMetric());
        var ca = Checkpoint.load(a.resolve(Trainer.CHECKPOINT));
        var cb = Checkpoint.load(b.resolve(Trainer.CHECKPOINT));
        for (var e : ca.model().entrySet()) assertArrayEquals(e.getValue().toFloatArray(), cb.model().get(e.getKey()).toFloatArray(), e.getKey());
        for (var e : ca.optimizer().entrySet()) assertArrayEquals(e.getValue().toDoubleArray(), cb.optimizer().get(e.getKey()).toDoubleArray(), e.getKey());
        assertEquals(ca.extra().keySet(), cb.extra().keySet());
        assertEquals(withoutTimings(records(a)), withoutTimings(records(b)));
        assertTrue(Files.isRegularFile(b.resolve(Trainer.BEST)));
    }

    /** The records with their wall-clock fields removed: everything else must match to the bit. */
    private static List<JsonNode> withoutTimings(List<JsonNode> records) {
        return records.stream().<JsonNode>map(n -> ((ObjectNode) n.deepCopy()).without(List.of("elapsed_s", "samples_per_s"))).toList();
    }
}

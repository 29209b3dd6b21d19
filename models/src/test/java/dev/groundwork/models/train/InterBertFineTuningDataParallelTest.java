package dev.groundwork.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.testing.MpiRun;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.data.FlickrSplit;
import dev.groundwork.models.interbert.data.InterBertSynth;
import dev.groundwork.models.interbert.recipe.ModelSize;
import dev.groundwork.models.interbert.recipe.FlickrFineTuning;
import dev.groundwork.models.interbert.recipe.VcrFineTuning;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * InterBERT fine-tuning over Open MPI ({@link InterBertFineTuningDataParallelMain} is each rank): the Flickr30K and
 * VCR recipes on 2 processes × 2 samples equal the recipe on one process × 4, step by step (loss and lr of every
 * step) and in the final raw and EMA weights (fp32 tolerance), and every rank holds bit-identical weights and EMA
 * shadows after every step (the replica check, all ranks' digests compared), also with the original's head dropout
 * (Flickr).
 *
 * <p>What is compared, and why the heads' dropout is off ({@code headDropout} 0; the demo network has no other):
 * dropout masks are drawn per rank by design (each replica its own stream, as the original's GPUs each draw
 * theirs), so with dropout on, N processes compute another random function than one process and no run can equal
 * another. Everything else random is drawn per record from (seed, epoch, index), never per rank: the epoch order,
 * and Flickr's negatives (a random other caption, a random other image, a hard caption from the pool), which the
 * original draws with Python's {@code random} in each loader worker (spec 8.22): a rank here draws for its records
 * exactly what one process draws for them. Validation (the first epoch's, on the EMA weights) runs whole on every
 * rank. t_total as the original computes it: each rank's loader length × epochs, which DistributedSampler's padding
 * makes equal to the one-process length (checked on the logged t_total and on every step's lr).
 */
class InterBertFineTuningDataParallelTest {
    @TempDir Path dir;
    Path data, vocab;
    InterBertSynth.Summary summary;

    @BeforeEach
    void data() throws Exception {
        data = dir.resolve("synth");
        summary = InterBertSynth.write(data, InterBertSynth.Options.SMALL.withImages(20));
        vocab = dir.resolve("vocab.txt");
        InterBertFineTuningDataParallelMain.vocab(data, vocab);
    }

    @Test
    void flickrOnTwoProcessesEqualsOneOnTheGlobalBatch() throws Exception {
        Path one = dir.resolve("one"), two = dir.resolve("two");
        FlickrFineTuning.run(InterBertFineTuningDataParallelMain.flickr(data, vocab, one), quiet(), new StopRequest());
        MpiRun.Result r = MpiRun.run(2, 120, InterBertFineTuningDataParallelMain.class, "flickr", data.toString(), vocab.toString(), two.toString());
        for (int k = 0; k < 2; k++)
            assertTrue(r.output().contains("rank " + k + ": with head dropout 0.1, weights and EMA bit-identical on all 2 ranks after each of "
                    + InterBertFineTuningDataParallelMain.DROPOUT_STEPS + " of " + InterBertFineTuningDataParallelMain.DROPOUT_STEPS + " steps"), r.output());
        check(r, one, two, "Flickr30K", FlickrSplit.read(data.resolve("flickr30k/all_data_final_train_2014.jsonline")).captions().size(), "interbert-flickr: t_total ", Set.of());
    }

    @Test
    void vcrOnTwoProcessesEqualsOneOnTheGlobalBatch() throws Exception {
        Path one = dir.resolve("one"), two = dir.resolve("two");
        long t0 = System.nanoTime();
        VcrFineTuning.run(InterBertFineTuningDataParallelMain.vcr(data, vocab, one), quiet(), new StopRequest());
        System.out.printf("VCR: one process in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        MpiRun.Result r = MpiRun.run(2, 120, InterBertFineTuningDataParallelMain.class, "vcr", data.toString(), vocab.toString(), two.toString());
        // vil_logit's bias adds the same number to the four candidates' logits: the 4-way softmax does not see it, so
        // its gradient is zero but for rounding, which BertAdam's m/(sqrt(v) + 1e-6) scales up to steps of ~1e-5.
        check(r, one, two, "VCR", summary.vcrTrain(), "interbert-vcr: t_total ", Set.of("vil_logit.bias"));
    }

    /**
     * The two-process run against the one-process run: both ranks passed the replica check at every step; t_total is
     * ⌈records / 4⌉ × 2 epochs (VCR: iterations, two optimizer steps each, as the original counts); every step's loss
     * and lr agree, the lr on the warm-up ramp; the final raw and EMA weights agree within fp32 tolerance, and the EMA
     * has moved away from the raw weights (so the EMA comparison compares something). The {@code invariant} tensors,
     * whose gradient is zero in exact arithmetic, are compared by that instead: they stay within 1e-4 of zero (their
     * initial value), where a learnt weight moves by about the lr, 1e-3, each step.
     */
    private void check(MpiRun.Result r, Path one, Path two, String what, int records, String totalLine, Set<String> invariant) throws Exception {
        assertEquals(0, r.exitCode(), r.output());
        System.out.printf("%s: %d records, 2 processes in %.1f s%n", what, records, r.seconds());
        long steps = InterBertFineTuningDataParallelMain.STEPS;
        for (int k = 0; k < 2; k++)
            assertTrue(r.output().contains("rank " + k + ": trained to step " + steps + ", weights and EMA bit-identical on all 2 ranks after each of "
                    + steps + " steps"), r.output());
        long tTotal = (records + 3) / 4 * 2L;
        assertTrue(r.output().contains(totalLine + tTotal + " "), what + ": t_total " + tTotal + " expected for " + records + " records:\n" + r.output());
        List<JsonNode> a = stepRecords(one), b = stepRecords(two);
        assertEquals(steps, a.size(), what + ": one record per step");
        assertEquals(a.size(), b.size());
        long warm = Math.round(0.1 * tTotal);
        assertTrue(warm >= 2 && warm < steps, what + ": the steps cover the warm-up of " + warm);
        for (int i = 0; i < a.size(); i++) {
            double la = a.get(i).path("loss").asDouble(), lb = b.get(i).path("loss").asDouble();
            assertTrue(Math.abs(la - lb) <= 1e-5 * (1 + Math.abs(la)), what + " step " + (i + 1) + ": loss " + lb + " on 2 processes, " + la + " on one");
            // Warm-up over round(0.1 · t_total) steps from lr 0 (the logged lr is step t's, t = 0 first), then constant.
            double lr = 1e-3 * (i < warm ? (double) i / warm : 1);
            assertEquals(lr, a.get(i).path("lr").asDouble(), 1e-12, what + " step " + (i + 1) + ": lr on one process");
            assertEquals(lr, b.get(i).path("lr").asDouble(), 1e-12, what + " step " + (i + 1) + ": lr on 2 processes");
        }
        Checkpoint ca = Checkpoint.load(one.resolve(Trainer.CHECKPOINT)), cb = Checkpoint.load(two.resolve(Trainer.CHECKPOINT));
        assertEquals(steps, cb.step());
        for (Checkpoint c : List.of(ca, cb))
            assertEquals(steps, c.optimizer().get("ema.updates").toLongArray()[0], what + ": one EMA update per optimizer step (VCR: two per iteration)");
        Map<String, float[]> rawA = DataParallelFixtures.weights(ca.model()), rawB = DataParallelFixtures.weights(cb.model());
        Map<String, float[]> emaA = ema(ca), emaB = ema(cb);
        assertTrue(emaA.size() > 10 && emaA.keySet().stream().allMatch(rawA::containsKey), what + ": the checkpoint holds the EMA shadows by name");
        for (String n : invariant)
            for (Map<String, float[]> m : List.of(rawA, rawB, emaA, emaB))
                for (float v : m.remove(n)) assertTrue(Math.abs(v) < 1e-4, what + ": " + n + " moved to " + v);
        DataParallelFixtures.assertClose(rawA, rawB, what + " raw weights");
        DataParallelFixtures.assertClose(emaA, emaB, what + " EMA weights");
        assertTrue(emaB.entrySet().stream().anyMatch(e -> !java.util.Arrays.equals(e.getValue(), rawB.get(e.getKey()))),
                what + ": the EMA differs from the raw weights");
    }

    /**
     * The EMA shadows of a checkpoint ({@code ema.shadow.i} in the optimizer part) by the name of their weight: the
     * i-th trainable parameter of the fine-tuning network, whose names a fresh demo-size one gives.
     */
    private Map<String, float[]> ema(Checkpoint c) throws Exception {
        var config = ModelSize.DEMO.config(null, Files.readAllLines(vocab).size(), InterBertSynth.Options.SMALL.featureSize(),
                InterBertSynth.Options.SMALL.classes(), false);
        List<String> names = new ArrayList<>(new InterBertForVLTasks(config, FlickrFineTuning.NUM_LABELS, new Generator(0)).namedTrainableParameters().keySet());
        Map<String, float[]> out = new TreeMap<>();
        c.optimizer().forEach((k, v) -> {
            if (k.startsWith("ema.shadow.")) out.put(names.get(Integer.parseInt(k.substring("ema.shadow.".length()))), v.toFloatArray());
        });
        assertEquals(names.size(), out.size(), "one shadow per trainable weight");
        return out;
    }

    private static List<JsonNode> stepRecords(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(run.resolve(Trainer.METRICS))) {
            JsonNode n = json.readTree(line);
            if (MetricsLog.kind(n).equals(MetricsLog.STEP)) out.add(n);
        }
        return out;
    }

    private static PrintStream quiet() { return new PrintStream(new ByteArrayOutputStream()); }
}

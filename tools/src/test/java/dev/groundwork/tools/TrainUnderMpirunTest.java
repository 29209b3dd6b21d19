package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.engine.testing.MpiRun;
import dev.groundwork.models.data.SynthScenes;
import dev.groundwork.models.train.MetricsLog;
import dev.groundwork.models.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mpirun -np 2 gw train two-stream ...} as a user runs it: rank, size and local rank from Open
 * MPI's environment, the global batch of 8 split 4 + 4, global negatives, no dropout (each rank draws
 * its own masks); its step losses equal those of one process with the batch of 8, and rank 0 alone
 * writes the experiment folder.
 */
class TrainUnderMpirunTest {
    @Test
    void twoProcessesTrainAsOneWithTheGlobalBatch(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        SynthScenes.write(data, 16, 48, 0);
        Path one = dir.resolve("one"), two = dir.resolve("two");
        String[] common = {"train", "two-stream", "--bert", "none", "--preset", "demo", "--data-train", data.resolve("COCO_train.json").toString(),
                "--vocab", TransferModelCommandsTest.vocab().toString(), "--batch-size", "8", "--n-epochs", "1", "--max-steps", "2",
                "--log-every-steps", "1", "--workers", "0", "--device", "cpu", "--dropout-rate", "0", "--exp-dir"};
        CliRun single = CliRun.of(new Gw(), concat(common, one.toString()));
        assertEquals(0, single.code(), single.err());

        MpiRun.Result r = MpiRun.run(2, 120, Gw.class, concat(common, two.toString()));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("data-parallel over Open MPI"), r.output());
        List<Double> want = losses(one), got = losses(two);
        assertEquals(2, want.size());
        assertEquals(want.size(), got.size(), r.output());
        for (int i = 0; i < want.size(); i++)
            assertEquals(want.get(i), got.get(i), 1e-4 * Math.abs(want.get(i)), "step " + (i + 1) + " loss, 2 processes against 1");
        assertTrue(Files.isRegularFile(two.resolve(Trainer.CHECKPOINT)));
        // One writer: each step once in the log.
        assertEquals(2, new MetricsLog(two.resolve(Trainer.METRICS)).read().stream().filter(n -> MetricsLog.kind(n).equals("step")).count());
    }

    private static List<Double> losses(Path exp) throws Exception {
        return new MetricsLog(exp.resolve(Trainer.METRICS)).read().stream().filter(n -> MetricsLog.kind(n).equals("step"))
                .map((JsonNode n) -> n.path("loss").asDouble()).toList();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

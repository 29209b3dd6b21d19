package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code gw demo} end to end at a tiny size: synthetic scenes, the three stages handing their best
 * weights on, the report; and a two-stream run on the real synthetic data that must lower its loss.
 */
class DemoCommandTest {
    @TempDir Path tmp;

    @Test
    void runsEveryStageAndReportsAgainstChance() throws Exception {
        CliRun r = CliRun.of(new Gw(), "demo", "--out", tmp.toString(), "--images", "40", "--n-epochs", "8", "--batch-size", "16",
                "--vocab", TransferModelCommandsTest.vocab().toString());
        assertEquals(0, r.code(), r.err());
        List<String> out = r.out().lines().toList();
        assertEquals("1/4 data: 32 train, 4 val, 4 test images in " + tmp.resolve("data"), out.get(0));
        assertTrue(out.get(1).startsWith("2/4 two-stream: best epoch "), r.out());
        assertTrue(out.get(2).startsWith("3/4 relational: best epoch "), r.out());
        assertTrue(out.get(3).startsWith("4/4 retrieval: best epoch "), r.out());
        assertTrue(r.out().contains("relation Acc@1 (val, best epoch) ") && r.out().contains("vs chance 25.0% (the 4 real predicates"), r.out());
        assertTrue(r.out().contains("object Acc@1 (val, best epoch) "), r.out());
        assertTrue(r.out().contains("retrieval on the 4 test images x 5 captions: i2t R@1 "), r.out());
        assertTrue(r.out().contains("chance: i2t R@1 25.00 R@5 80.63 R@10 98.37 | t2i R@1 25.00 R@5 100.00 R@10 100.00"), r.out());
        for (String stage : new String[]{"two-stream", "relational", "retrieval"}) {
            Path dir = tmp.resolve(stage);
            assertTrue(Files.isRegularFile(dir.resolve(Trainer.BEST)) && Files.isRegularFile(dir.resolve(Trainer.CHECKPOINT)), stage);
            assertEquals(8, new MetricsLog(dir.resolve(Trainer.METRICS)).read().size(), stage);
        }
        // Stage 2 on the real synthetic scenes, 16 steps from random weights: the training loss must fall
        // (5.58 -> 4.39 when written; chance is 2 ln 16 = 5.55).
        List<JsonNode> two = new MetricsLog(tmp.resolve("two-stream").resolve(Trainer.METRICS)).read();
        double first = two.get(0).path("train").path("loss").asDouble(), last = two.get(7).path("train").path("loss").asDouble();
        assertTrue(last < 0.9 * first, "two-stream train loss " + first + " -> " + last);
    }

    /** A second demo in the same place: refused without --overwrite (saying so), replaced with it; --json is one object on stdout. */
    @Test
    void runsAgainInTheSameFolder() throws Exception {
        Path out = tmp.resolve("again");
        String[] args = {"demo", "--out", out.toString(), "--images", "20", "--n-epochs", "1", "--batch-size", "4", "--quiet", "--json",
                "--vocab", TransferModelCommandsTest.vocab().toString()};
        CliRun first = CliRun.of(new Gw(), args);
        assertEquals(0, first.code(), first.err());
        JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first.out());
        assertEquals(out.toString(), j.get("out").asText());
        assertTrue(j.get("retrieval").has("i2t_r1") && j.has("relation_acc1") && j.get("relation_chance").asDouble() == 25.0, first.out());

        CliRun again = CliRun.of(new Gw(), args);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("holds an earlier demo; add --overwrite"), again.err());
        Path mine = Files.writeString(out.resolve("notes.txt"), "kept");
        CliRun replaced = CliRun.of(new Gw(), concat(args, "--overwrite"));
        assertEquals(0, replaced.code(), replaced.err());
        assertEquals("kept", Files.readString(mine), "--overwrite touches only the demo's own folders");

        assertEquals(tmp.resolve("fresh"), DemoCommand.folders().withBase(tmp.resolve("fresh")).free());
        assertEquals(tmp.resolve("again-2"), DemoCommand.folders().withBase(out).free());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badSizesNameTheFlag() {
        for (String[] c : new String[][]{{"--images", "10"}, {"--n-epochs", "0"}, {"--batch-size", "1"}}) {
            CliRun r = CliRun.of(new Gw(), "demo", "--out", tmp.toString(), c[0], c[1]);
            assertEquals(2, r.code(), String.join(" ", c));
            assertTrue(r.err().contains(c[0]), r.err());
        }
    }

    @Test
    void chanceOfImageToTextRecallCountsAnyOfTheFiveCaptions() {
        assertEquals(100.0 * 5 / 1250, DemoCommand.chanceI2t(250, 5, 1), 1e-9);
        assertEquals(100.0, DemoCommand.chanceI2t(3, 5, 11), 1e-9);   // 11 of 15 captions always hold one of the 5
        assertEquals(100.0, DemoCommand.chanceI2t(2, 5, 20), 1e-9);   // K beyond all captions
        assertEquals(100.0, DemoCommand.chanceT2i(4, 5), 1e-9);
    }
}

package dev.groundwork.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalRetrievalCommandTest {
    @TempDir Path tmp;

    /** Two test images (red, blue) with five captions naming their colour, one train image ignored. */
    Path karpathy() throws Exception {
        ColourFactory.png(tmp.resolve("coco/val2014/r.png"), 0xFF0000);
        ColourFactory.png(tmp.resolve("coco/val2014/b.png"), 0x0000FF);
        String five = "[{\"raw\":\"%1$s\"},{\"raw\":\"%1$s\"},{\"raw\":\"%1$s\"},{\"raw\":\"%1$s\"},{\"raw\":\"%1$s\"},{\"raw\":\"green\"}]";
        String json = "{\"images\":["
                + "{\"filepath\":\"val2014\",\"filename\":\"r.png\",\"split\":\"test\",\"sentences\":" + five.formatted("red") + "},"
                + "{\"filepath\":\"train2014\",\"filename\":\"x.png\",\"split\":\"train\",\"sentences\":" + five.formatted("red") + "},"
                + "{\"filepath\":\"val2014\",\"filename\":\"b.png\",\"split\":\"test\",\"sentences\":" + five.formatted("blue") + "}]}";
        return Files.writeString(tmp.resolve("dataset_coco.json"), json);
    }

    @Test
    void fiveKProtocolOnInjectedModel() throws Exception {
        Path model = Files.writeString(tmp.resolve("m.safetensors"), "w");
        CliRun r = CliRun.of(new EvalRetrievalCommand(new ColourFactory()), "--model", model.toString(), "--karpathy", karpathy().toString(),
                "--images", tmp.resolve("coco").toString(), "--protocol", "5k");
        assertEquals(0, r.code(), r.err());
        // Only the first five captions count (the sixth, "green", would otherwise be a miss).
        assertTrue(r.out().contains("2 images, 10 captions"), r.out());
        assertTrue(r.out().contains("rsum 600.00"), r.out());
        // Progress on stderr (GW_PROGRESS lines under test: the last count of each part), none with --quiet.
        assertTrue(r.err().contains("embed images 2/2") && r.err().contains("embed captions 10/10"), r.err());
        assertTrue(!r.err().contains("\r"), "no carriage return in the plain style: " + r.err());
        CliRun q = CliRun.of(new EvalRetrievalCommand(new ColourFactory()), "--model", model.toString(), "--karpathy", karpathy().toString(),
                "--images", tmp.resolve("coco").toString(), "--protocol", "5k", "--quiet");
        assertEquals(0, q.code(), q.err());
        assertEquals("", q.err());
        assertEquals(r.out(), q.out());
    }

    /** Default flags on a split under 1000 images: the protocol that fits, said, exit 0; --json gives the same numbers. */
    @Test
    void defaultProtocolFitsASmallSplit() throws Exception {
        Path model = Files.writeString(tmp.resolve("m.safetensors"), "w");
        CliRun r = CliRun.of(new EvalRetrievalCommand(new ColourFactory()), "--model", model.toString(), "--karpathy", karpathy().toString(),
                "--images", tmp.resolve("coco").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("all 2 images (the 5k protocol needs 5000)") && r.out().contains("rsum 600.00"), r.out());
        assertTrue(r.out().contains("1k  not run: it needs whole folds of 1000 images; the split has 2"), r.out());
        CliRun j = CliRun.of(new EvalRetrievalCommand(new ColourFactory()), "--model", model.toString(), "--karpathy", karpathy().toString(),
                "--images", tmp.resolve("coco").toString(), "--json");
        assertEquals(0, j.code(), j.err());
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(j.out());
        assertEquals(600.0, node.get("all-2").get("rsum").asDouble(), 1e-9);
        assertEquals(2, node.get("images").asInt());
    }

    @Test
    void oneKNeedsWholeFolds() throws Exception {
        Path model = Files.writeString(tmp.resolve("m.safetensors"), "w");
        CliRun r = CliRun.of(new EvalRetrievalCommand(new ColourFactory()), "--model", model.toString(), "--karpathy", karpathy().toString(),
                "--images", tmp.resolve("coco").toString(), "--protocol", "1k");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("folds of 1000"), r.err());
    }

    @Test
    void aFileThatIsNotATransferCheckpointIsRefusedByName() throws Exception {
        Path model = Files.writeString(tmp.resolve("m.safetensors"), "w");
        CliRun r = CliRun.of(new Gw(), "eval", "retrieval", "--model", model.toString(), "--karpathy", karpathy().toString(),
                "--images", tmp.resolve("coco").toString(), "--vocab", TransferModelCommandsTest.vocab().toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(model.toString()), r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingKarpathyFileIsNamed() throws Exception {
        Path model = Files.writeString(tmp.resolve("m.safetensors"), "w");
        Path nope = tmp.resolve("nope.json");
        CliRun r = CliRun.of(new EvalRetrievalCommand(new ColourFactory()), "--model", model.toString(), "--karpathy", nope.toString(), "--images", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--karpathy " + nope), r.err());
    }

    @Test
    void help() {
        CliRun r = CliRun.of(new Gw(), "eval", "retrieval", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--protocol"), r.out());
    }
}

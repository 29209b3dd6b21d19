package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DataCommandTest {
    @TempDir Path tmp;

    @Test
    void synthWritesAllFormatsDeterministically() throws Exception {
        var a = CheckpointCommandsTest.gw("data", "synth", tmp.resolve("a").toString(), "--images", "20", "--size", "32", "--seed", "4");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("20 images of 32x32"), a.out());
        var b = CheckpointCommandsTest.gw("data", "synth", tmp.resolve("b").toString(), "--images", "20", "--size", "32", "--seed", "4");
        assertEquals(0, b.code(), b.err());
        for (String f : new String[]{"COCO_train.json", "COCO_val.json", "VG_train.json", "VG_val.json", "dataset_coco.json", "images/synth_000019.png"})
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
        JsonNode vg = new ObjectMapper().readTree(tmp.resolve("a/VG_train.json").toFile());
        assertEquals(16, vg.get("data").size());
        assertTrue(vg.get("data").get(0).has("relation"));
    }

    @Test
    void badArgumentsAreReported() {
        var r = CheckpointCommandsTest.gw("data", "synth", tmp.toString(), "--size", "4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--size"), r.err());
    }
}

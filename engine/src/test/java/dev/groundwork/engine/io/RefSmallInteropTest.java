package dev.groundwork.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads io/ref_small.safetensors, made by make_ref_small.py (beside it) with Python's struct and
 * json, not by our writer. The expected values below are the ones that script packs.
 */
class RefSmallInteropTest {
    @TempDir Path dir;

    static Path refSmall() throws URISyntaxException {
        return Path.of(RefSmallInteropTest.class.getResource("/io/ref_small.safetensors").toURI());
    }

    @Test
    void readsEveryTensorWrittenByPython() throws Exception {
        try (SafeTensorsFile f = SafeTensorsFile.open(refSmall())) {
            assertEquals(Map.of("format", "pt", "source", "struct+json"), f.metadata());
            // Sorted widest dtype first, then by name; "empty" [44,44) comes before "i32" [44,60).
            assertEquals(List.of("dbl", "ids", "emb.\u00df", "empty", "i32", "weight", "bf", "half", "i16",
                    "byte", "i8", "mask"), f.names());
            assertArrayEquals(new float[] {1.5f, -2.25f, 0.1f, 3e-5f, 1e6f, -0.0f}, f.readF32("weight"));
            assertArrayEquals(new long[] {2, 3}, f.entry("weight").shape());
            assertArrayEquals(new float[] {1.0f, -2.5f, (float) Math.pow(2, -14), 65504.0f}, f.readF32("half"));
            assertArrayEquals(new float[] {1.0f, -3.140625f, (float) Math.pow(2, -10)}, f.readF32("bf"));
            assertArrayEquals(new float[] {3.1415927f, -0.001f}, f.readF32("dbl"));
            assertArrayEquals(new long[] {-1, 1L << 40, 7}, f.readI64("ids"));
            assertArrayEquals(new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 5}, f.readI64("i32"));
            assertArrayEquals(new long[] {-300}, f.readI64("i16"));
            assertArrayEquals(new long[] {-128, 127}, f.readI64("i8"));
            assertArrayEquals(new long[] {200}, f.readI64("byte"));
            assertEquals(0, f.entry("byte").rank());
            assertArrayEquals(new long[] {1, 0, 1}, f.readI64("mask"));
            assertArrayEquals(new float[0], f.readF32("empty"));
            assertArrayEquals(new long[] {0, 4}, f.entry("empty").shape());
            assertArrayEquals(new float[] {42.0f}, f.readF32("emb.\u00df"));
        }
    }

    @Test
    void ourWriterProducesTheSameBytesForTheSameLayout() throws Exception {
        // Rewriting in the file's own order with its metadata must reproduce it byte for byte:
        // same compact JSON, same space padding, same contiguous offsets.
        Path copy = dir.resolve("copy.safetensors");
        try (SafeTensorsFile f = SafeTensorsFile.open(refSmall())) {
            SafeTensorsWriter w = new SafeTensorsWriter();
            f.metadata().forEach(w::putMetadata);
            for (String name : f.names()) {
                TensorEntry e = f.entry(name);
                w.put(name, e.dtypeEnum(), e.shape(), f.segment(name));
            }
            w.write(copy);
        }
        assertArrayEquals(Files.readAllBytes(refSmall()), Files.readAllBytes(copy));
    }
}

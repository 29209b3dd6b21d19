package dev.groundwork.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsRoundTripTest {
    @TempDir Path dir;

    // Never zero, so a read of untouched (zero-filled) bytes cannot pass for the right answer.
    private static float[] randomFloats(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float mag = (float) r.nextDouble(0.001, 1000.0);
            a[i] = r.nextBoolean() ? mag : -mag;
        }
        return a;
    }

    private static long[] randomLongs(SplittableRandom r, int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            long v;
            do { v = r.nextLong(); } while (v == 0);
            a[i] = v;
        }
        return a;
    }

    @Test
    void f32I64AndMetadataRoundTrip() throws IOException {
        SplittableRandom r = new SplittableRandom(42);
        float[] w = randomFloats(r, 12);
        long[] ids = randomLongs(r, 5);
        Path p = dir.resolve("a.safetensors");
        new SafeTensorsWriter()
                .putF32("w", new long[] {3, 4}, w)
                .putI64("ids", new long[] {5}, ids)
                .putMetadata("format", "pt")
                .putMetadata("note", "ünïcode ✓")
                .write(p);
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertEquals(List.of("w", "ids"), f.names());
            assertEquals(Map.of("format", "pt", "note", "ünïcode ✓"), f.metadata());
            assertArrayEquals(w, f.readF32("w"));
            assertArrayEquals(ids, f.readI64("ids"));
            TensorEntry e = f.entry("w");
            assertEquals(new TensorEntry("w", "F32", new long[] {3, 4}, 0, 48), e);
            assertEquals(new TensorEntry("ids", "I64", new long[] {5}, 48, 88), f.entry("ids"));
        }
    }

    @Test
    void scalarAndZeroSizeTensors() throws IOException {
        Path p = dir.resolve("s.safetensors");
        new SafeTensorsWriter()
                .putF32("scalar", new long[] {}, new float[] {7.25f})
                .putF32("none", new long[] {0, 3}, new float[0])
                .putI64("count", new long[] {}, new long[] {-9})
                .putI64("nothing", new long[] {4, 0}, new long[0])
                .write(p);
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertEquals(0, f.entry("scalar").rank());
            assertArrayEquals(new float[] {7.25f}, f.readF32("scalar"));
            assertArrayEquals(new float[0], f.readF32("none"));
            assertArrayEquals(new long[] {-9}, f.readI64("count"));
            assertArrayEquals(new long[0], f.readI64("nothing"));
            assertArrayEquals(new long[] {0, 3}, f.entry("none").shape());
            assertEquals(0, f.segment("nothing").byteSize());
            // Zero-size ranges sort before the tensor that starts at the same offset.
            assertEquals(List.of("scalar", "none", "count", "nothing"), f.names());
        }
    }

    @Test
    void manyTensorsKeepOrderOffsetsAndAlignment() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        SafeTensorsWriter w = new SafeTensorsWriter();
        List<float[]> floats = new ArrayList<>();
        List<long[]> longs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = r.nextInt(0, 200);
            if (i % 2 == 0) {
                float[] a = randomFloats(r, n);
                floats.add(a);
                w.putF32("layer." + i + ".weight", new long[] {n}, a);
            } else {
                long[] a = randomLongs(r, n);
                longs.add(a);
                w.putI64("layer." + i + ".ids", new long[] {1, n}, a);
            }
        }
        // Bigger than one writer chunk, so the chunking loop runs more than once.
        float[] big = randomFloats(r, SafeTensorsWriter.CHUNK_BYTES / 4 * 2 + 123);
        w.putF32("big", new long[] {big.length}, big);
        Path p = dir.resolve("many.safetensors");
        w.write(p);

        byte[] raw = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8, "header is padded to a multiple of 8");
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertEquals(301, f.names().size());
            long expectedBegin = 0;
            int fi = 0, li = 0;
            for (int i = 0; i < 300; i++) {
                String name = i % 2 == 0 ? "layer." + i + ".weight" : "layer." + i + ".ids";
                assertEquals(name, f.names().get(i), "insertion order is file order");
                TensorEntry e = f.entry(name);
                assertEquals(expectedBegin, e.begin(), "offsets are contiguous");
                expectedBegin = e.end();
                if (i % 2 == 0) assertArrayEquals(floats.get(fi++), f.readF32(name));
                else assertArrayEquals(longs.get(li++), f.readI64(name));
            }
            assertArrayEquals(big, f.readF32("big"));
            assertEquals(raw.length - 8 - n, f.entry("big").end(), "no trailing bytes");
        }
    }

    @Test
    void segmentIsZeroCopyLittleEndianAndCanBeRewritten() throws IOException {
        Path p = dir.resolve("seg.safetensors");
        new SafeTensorsWriter().putF32("x", new long[] {2}, new float[] {1.0f, -3.5f}).write(p);
        Path q = dir.resolve("copy.safetensors");
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            MemorySegment s = f.segment("x");
            assertEquals(8, s.byteSize());
            assertTrue(s.isReadOnly());
            assertEquals(-3.5f, s.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4));
            new SafeTensorsWriter().put("x", SafeDType.F32, new long[] {2}, s).write(q);
        }
        try (SafeTensorsFile g = SafeTensorsFile.open(q)) {
            assertArrayEquals(new float[] {1.0f, -3.5f}, g.readF32("x"));
        }
    }

    @Test
    void writerRefusesBadInput() {
        SafeTensorsWriter w = new SafeTensorsWriter().putF32("a", new long[] {1}, new float[] {1});
        var dup = assertThrows(IllegalArgumentException.class, () -> w.putI64("a", new long[] {1}, new long[] {1}));
        assertTrue(dup.getMessage().contains("duplicate tensor name 'a'"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.putF32("b", new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> w.putF32("c", new long[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> w.putF32("__metadata__", new long[] {1}, new float[1]));
    }

    @Test
    void closedFileRefusesReads() throws IOException {
        Path p = dir.resolve("c.safetensors");
        new SafeTensorsWriter().putF32("x", new long[] {1}, new float[] {1}).write(p);
        SafeTensorsFile f = SafeTensorsFile.open(p);
        MemorySegment s = f.segment("x");
        f.close();
        assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> f.readF32("x"));
    }

    @Test
    void unknownNameIsReportedWithFile() throws IOException {
        Path p = dir.resolve("u.safetensors");
        new SafeTensorsWriter().putF32("x", new long[] {1}, new float[] {1}).write(p);
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            var e = assertThrows(IllegalArgumentException.class, () -> f.readF32("y"));
            assertTrue(e.getMessage().contains("'y'") && e.getMessage().contains(p.toString()), e.getMessage());
        }
    }
}

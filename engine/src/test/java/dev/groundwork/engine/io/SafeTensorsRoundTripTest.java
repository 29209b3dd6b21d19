package dev.groundwork.engine.io;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafeTensorsRoundTripTest {
    @TempDir Path dir;

    @Test void tensorsAndMetadataRoundTrip() throws IOException {
        Generator g = new Generator(5);
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("encoder.weight", Tensor.randn(g, 3, 4));
        in.put("scalar", Tensor.scalar(2.75));
        in.put("empty", Tensor.zeros(0, 5));
        in.put("ids", Tensor.ofLongs(new long[]{-3, 7, Long.MAX_VALUE}, 3));
        in.put("f64", g.normal(DType.F64, Device.CPU, 0, 1, 2, 2));
        in.put("strided", Tensor.randn(g, 4, 3).mT());
        for (int i = 0; i < 40; i++) in.put("many." + i, Tensor.randn(g, i % 5 + 1));
        Path p = dir.resolve("a.safetensors");
        TensorFiles.save(p, in, Map.of("step", "12", "note", "ünïcode"));
        assertEquals(0, (Files.size(p) - 8 - headerLength(p)) % 4);
        assertEquals(0, headerLength(p) % 8, "header padded to 8 bytes");
        TensorFiles.Loaded out = TensorFiles.loadWithMetadata(p);
        assertEquals(Map.of("step", "12", "note", "ünïcode"), out.metadata());
        assertEquals(List.copyOf(in.keySet()), List.copyOf(out.tensors().keySet()), "names in insertion order");
        for (var e : in.entrySet()) {
            Tensor got = out.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            if (got.dtype() == DType.I64) assertArrayEquals(e.getValue().toLongArray(), got.toLongArray());
            else assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), 0.0, e.getKey());
        }
    }

    private static long headerLength(Path p) throws IOException {
        byte[] b = new byte[8];
        try (var f = new RandomAccessFile(p.toFile(), "r")) { f.readFully(b); }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** F16, BF16 and F64 bytes written by hand, with values whose conversions are exact. */
    @Test void halfPrecisionAndDoubleConvert() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[10,18]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[18,20]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 20).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        buf.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3555); // 1, -2, 0.333251953125
        buf.putShort((short) 0x3FC0).putShort((short) 0xC2F7);                           // 1.5, -123.5
        buf.putDouble(0.1);
        buf.put((byte) 200).put((byte) 7);
        Path p = dir.resolve("h.safetensors");
        Files.write(p, buf.array());
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertArrayEquals(new float[]{1f, -2f, 0.333251953125f}, f.readF32("h"));
            assertArrayEquals(new float[]{1.5f, -123.5f}, f.readF32("b"));
            assertArrayEquals(new double[]{0.1}, f.readF64("d"));
            assertArrayEquals(new long[]{200, 7}, f.readI64("u"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.readF32("u"));
            assertTrue(e.getMessage().contains("'u'") && e.getMessage().contains("U8"));
        }
    }

    @Test void failedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path p = dir.resolve("ckpt.safetensors");
        TensorFiles.save(p, Map.of("w", Tensor.ones(3)));
        byte[] before = Files.readAllBytes(p);
        SafeTensorsWriter w = new SafeTensorsWriter().putF32("ok", new long[]{2}, new float[]{1, 2})
                .put("bad", SafeDType.F32, new long[]{4}, (from, buf) -> { throw new IOException("disk on fire"); });
        IOException e = assertThrows(IOException.class, () -> w.write(p));
        assertEquals("disk on fire", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(p), s.toList(), "no temporary file left behind");
        }
    }

    @Test void writerRefusesDuplicates() {
        SafeTensorsWriter w = new SafeTensorsWriter().putF32("a", new long[]{1}, new float[]{1});
        assertThrows(IllegalArgumentException.class, () -> w.putF32("a", new long[]{1}, new float[]{2}));
    }

    /**
     * A tensor that starts past 2^31 bytes: a sparse file, so the test writes 16 bytes, not 2.5 GB.
     * Skipped where the file system cannot hold sparse files.
     */
    @Test void offsetsBeyondTwoGigabytes() throws IOException {
        long gap = (1L << 31) + 4096;
        String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + gap + "],\"data_offsets\":[0," + gap + "]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + gap + "," + (gap + 8) + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path p = dir.resolve("big.safetensors");
        Assumptions.assumeTrue(Files.getFileStore(dir).getUsableSpace() > (1L << 20), "no disk space");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h);
            f.write(b.array());
            f.seek(8 + h.length + gap);
            ByteBuffer v = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(3.5f).putFloat(-1.25f);
            f.write(v.array());
        }
        try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
            assertArrayEquals(new float[]{3.5f, -1.25f}, f.readF32("w"));
            assertEquals(gap, f.entry("w").begin());
        } finally {
            Files.deleteIfExists(p);
        }
    }
}

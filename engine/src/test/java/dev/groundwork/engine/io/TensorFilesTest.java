package dev.groundwork.engine.io;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Tensor-level save/load: every engine dtype, strided views, names in order, metadata. */
class TensorFilesTest {
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
}

package dev.groundwork.engine.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a safetensors file: tensors laid out back to back in insertion order, the header padded
 * with spaces to a multiple of 8 so every tensor starts 8-byte aligned. The data is streamed in
 * chunks and the file written atomically ({@link AtomicFiles}).
 */
public final class SafeTensorsWriter {
    /** Produces a tensor's little-endian bytes, chunk by chunk, into the buffer it is given. */
    public interface Source {
        /** Fills buf with the bytes [from, from + buf.remaining()) of this tensor. */
        void fill(long from, ByteBuffer buf) throws IOException;
    }

    private record Item(String name, SafeDType dtype, long[] shape, long bytes, Source source) {}

    private static final int CHUNK = 1 << 20;
    private final List<Item> items = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafeTensorsWriter putMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafeTensorsWriter put(String name, SafeDType dtype, long[] shape, Source source) {
        if (name.equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
        if (!names.add(name)) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape");
            n = Math.multiplyExact(n, d);
        }
        items.add(new Item(name, dtype, shape.clone(), Math.multiplyExact(n, dtype.size), source));
        return this;
    }

    public SafeTensorsWriter putF32(String name, long[] shape, float[] data) {
        return put(name, SafeDType.F32, shape, (from, buf) -> {
            int i = (int) (from / 4);
            while (buf.hasRemaining()) buf.putFloat(data[i++]);
        });
    }

    public SafeTensorsWriter putF64(String name, long[] shape, double[] data) {
        return put(name, SafeDType.F64, shape, (from, buf) -> {
            int i = (int) (from / 8);
            while (buf.hasRemaining()) buf.putDouble(data[i++]);
        });
    }

    public SafeTensorsWriter putI64(String name, long[] shape, long[] data) {
        return put(name, SafeDType.I64, shape, (from, buf) -> {
            int i = (int) (from / 8);
            while (buf.hasRemaining()) buf.putLong(data[i++]);
        });
    }

    public SafeTensorsWriter putI32(String name, long[] shape, int[] data) {
        return put(name, SafeDType.I32, shape, (from, buf) -> {
            int i = (int) (from / 4);
            while (buf.hasRemaining()) buf.putInt(data[i++]);
        });
    }

    /** The header bytes, padded to a multiple of 8. */
    byte[] header() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long at = 0;
        for (Item it : items) {
            ObjectNode e = root.putObject(it.name());
            e.put("dtype", it.dtype().name());
            ArrayNode s = e.putArray("shape");
            for (long d : it.shape()) s.add(d);
            e.putArray("data_offsets").add(at).add(at + it.bytes());
            at += it.bytes();
        }
        byte[] raw = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(raw, 0, out, 0, raw.length);
        for (int i = raw.length; i < padded; i++) out[i] = ' ';
        return out;
    }

    public void write(Path path) throws IOException {
        byte[] header = header();
        AtomicFiles.write(path, ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(header));
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (Item it : items) {
                // Chunks are whole elements (CHUNK is a multiple of every dtype size).
                for (long from = 0; from < it.bytes(); from += CHUNK) {
                    buf.clear().limit((int) Math.min(CHUNK, it.bytes() - from));
                    it.source().fill(from, buf);
                    if (buf.hasRemaining()) throw new IOException("tensor '" + it.name() + "': source produced too few bytes");
                    writeFully(ch, buf.flip());
                }
            }
        });
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}

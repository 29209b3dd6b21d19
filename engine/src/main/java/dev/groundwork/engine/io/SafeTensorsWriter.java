package dev.groundwork.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a safetensors file from an ordered list of tensors. Data is laid out contiguously in
 * insertion order and streamed to disk in chunks at {@link #write}, so no whole-file buffer is built;
 * the write goes through {@link AtomicFiles}, so a failure leaves any previous file untouched.
 *
 * <p>Arrays and segments passed to the put methods are read at write time, not copied.
 */
public final class SafeTensorsWriter {
    static final int CHUNK_BYTES = 1 << 20;
    private static final JsonFactory JSON = new JsonFactory();

    /** Produces a tensor's raw little-endian bytes; must write exactly the declared length. */
    @FunctionalInterface
    public interface ByteSource {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    private record Pending(String name, SafeDType dtype, long[] shape, long byteLength, ByteSource source) {}

    private final List<Pending> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a tensor whose bytes come from {@code source}; its length must be product(shape) x dtype size. */
    public SafeTensorsWriter put(String name, SafeDType dtype, long[] shape, ByteSource source) {
        if (name == null || dtype == null || shape == null || source == null) {
            throw new NullPointerException("name, dtype, shape and source are required");
        }
        if (name.equals(HeaderParser.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + name + "' is reserved for metadata and cannot name a tensor");
        }
        if (names.contains(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
        long[] s = shape.clone();
        long bytes;
        try {
            bytes = Math.multiplyExact(elements(name, s), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(s) + " overflows 64 bits");
        }
        names.add(name);
        tensors.add(new Pending(name, dtype, s, bytes, source));
        return this;
    }

    /** Adds a tensor from raw bytes already in the file format (e.g. a segment of another file). */
    public SafeTensorsWriter put(String name, SafeDType dtype, long[] shape, MemorySegment bytes) {
        long expected = Math.multiplyExact(elements(name, shape), dtype.byteSize());
        if (bytes.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "': segment has " + bytes.byteSize()
                    + " bytes, shape " + Arrays.toString(shape) + " x " + dtype + " needs " + expected);
        }
        return put(name, dtype, shape, out -> {
            for (long off = 0; off < bytes.byteSize(); off += CHUNK_BYTES) {
                long n = Math.min(CHUNK_BYTES, bytes.byteSize() - off);
                writeFully(out, bytes.asSlice(off, n).asByteBuffer());
            }
        });
    }

    public SafeTensorsWriter putF32(String name, long[] shape, float[] data) {
        return putChunked(name, SafeDType.F32, shape, data.length, (buf, off, n) -> buf.asFloatBuffer().put(data, off, n));
    }

    public SafeTensorsWriter putF64(String name, long[] shape, double[] data) {
        return putChunked(name, SafeDType.F64, shape, data.length, (buf, off, n) -> buf.asDoubleBuffer().put(data, off, n));
    }

    public SafeTensorsWriter putI64(String name, long[] shape, long[] data) {
        return putChunked(name, SafeDType.I64, shape, data.length, (buf, off, n) -> buf.asLongBuffer().put(data, off, n));
    }

    public SafeTensorsWriter putI32(String name, long[] shape, int[] data) {
        return putChunked(name, SafeDType.I32, shape, data.length, (buf, off, n) -> buf.asIntBuffer().put(data, off, n));
    }

    /** Copies elements [off, off + n) of a Java array into buf (a typed view inherits little-endian order). */
    private interface ChunkFill { void fill(ByteBuffer buf, int off, int n); }

    /** A Java array streamed in CHUNK_BYTES pieces, so a large tensor never needs a second full-size copy. */
    private SafeTensorsWriter putChunked(String name, SafeDType dtype, long[] shape, int length, ChunkFill fill) {
        requireLength(name, shape, length);
        int size = dtype.byteSize(), perChunk = CHUNK_BYTES / size;
        return put(name, dtype, shape, out -> {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int off = 0; off < length; off += perChunk) {
                int n = Math.min(perChunk, length - off);
                buf.clear();
                fill.fill(buf, off, n);
                buf.limit(n * size);
                writeFully(out, buf);
            }
        });
    }

    /** Sets a "__metadata__" entry; a later call with the same key replaces the value. */
    public SafeTensorsWriter putMetadata(String key, String value) {
        if (key == null || value == null) throw new NullPointerException("metadata key and value are required");
        metadata.put(key, value);
        return this;
    }

    /** Writes the file atomically. May be called more than once; sources are invoked each time. */
    public void write(Path path) throws IOException {
        byte[] header = header();
        AtomicFiles.write(path, ch -> {
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(ch, prefix);
            writeFully(ch, ByteBuffer.wrap(header));
            for (Pending t : tensors) {
                writeData(ch, t);
            }
        });
    }

    // The source writes through a guard so a wrong length fails the write instead of shifting every
    // later tensor's bytes.
    private static void writeData(FileChannel ch, Pending t) throws IOException {
        long[] remaining = {t.byteLength()};
        WritableByteChannel guard = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                if (src.remaining() > remaining[0]) {
                    throw new IOException("tensor '" + t.name() + "': source wrote more than the "
                            + t.byteLength() + " bytes its shape and dtype need");
                }
                int n = ch.write(src);
                remaining[0] -= n;
                return n;
            }
            @Override public boolean isOpen() { return ch.isOpen(); }
            @Override public void close() {} // the writer owns the channel
        };
        t.source().writeTo(guard);
        if (remaining[0] != 0) {
            throw new IOException("tensor '" + t.name() + "': source wrote " + (t.byteLength() - remaining[0])
                    + " bytes, its shape and dtype need " + t.byteLength());
        }
    }

    /** The JSON header, space-padded to a multiple of 8 bytes so the data buffer starts aligned. */
    byte[] header() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(HeaderParser.METADATA_KEY);
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Pending t : tensors) {
                g.writeObjectFieldStart(t.name());
                g.writeStringField("dtype", t.dtype().name());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) g.writeNumber(d);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + t.byteLength());
                g.writeEndArray();
                g.writeEndObject();
                offset += t.byteLength();
            }
            g.writeEndObject();
        }
        int padded = (bytes.size() + 7) & ~7;
        if (padded > SafeTensorsFile.MAX_HEADER_BYTES) {
            throw new SafeTensorsException("header would be " + padded + " bytes, over the limit of "
                    + SafeTensorsFile.MAX_HEADER_BYTES + " that readers accept");
        }
        while (bytes.size() < padded) bytes.write(' ');
        return bytes.toByteArray();
    }

    static void writeFully(WritableByteChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    private static long elements(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static void requireLength(String name, long[] shape, int length) {
        long n = elements(name, shape);
        if (n != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " has " + n + " elements but the data has " + length);
        }
    }
}

package dev.groundwork.engine.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file, memory-mapped and validated at {@link #open}.
 *
 * <p>Layout: an 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON, then the data buffer.
 * The whole file is mapped as one {@link MemorySegment} (not a ByteBuffer, whose int indices stop at
 * 2 GiB), and all offset arithmetic is in long. The mapping lives in a shared arena so tensors can be
 * read from any thread; {@link #close} unmaps it, after which every segment handed out is invalid.
 *
 * <p>Everything structural is checked at open (see {@link SafeTensorsException} for the error type);
 * the read methods then only convert. Gaps between tensors are allowed (see {@link LayoutCheck}).
 */
public final class SafeTensorsFile implements AutoCloseable {
    /** Largest header we accept, as the reference implementation does: guards against absurd N. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final long mappedBytes;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, TensorEntry> entries; // in file order of offsets
    private final Map<String, String> metadata;

    private SafeTensorsFile(Path path, long mappedBytes, Arena arena, MemorySegment data, List<TensorEntry> sorted,
                            Map<String, String> metadata) {
        this.path = path;
        this.mappedBytes = mappedBytes;
        this.arena = arena;
        this.data = data;
        this.metadata = metadata;
        Map<String, TensorEntry> byName = new LinkedHashMap<>();
        for (TensorEntry e : sorted) {
            byName.put(e.name(), e);
        }
        this.entries = byName;
    }

    /** Maps and validates {@code path}; throws SafeTensorsException if the file breaks a format rule. */
    public static SafeTensorsFile open(Path path) throws IOException {
        String file = path.toString();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole;
            // The mapping outlives the channel, so the descriptor need not stay open.
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            long size = whole.byteSize();
            if (size < 8) {
                throw new SafeTensorsException(file + ": file is " + size
                        + " bytes, shorter than the 8-byte header length prefix");
            }
            long n = whole.get(I64, 0); // a u64; above 2^63 it reads negative here
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw new SafeTensorsException(file + ": header length " + Long.toUnsignedString(n)
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            if (n > size - 8) {
                throw new SafeTensorsException(file + ": header length " + n + " is larger than the "
                        + (size - 8) + " bytes that follow the length prefix");
            }
            byte[] headerBytes = whole.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
            HeaderParser.Header header = HeaderParser.parse(headerBytes, file);
            MemorySegment data = whole.asSlice(8 + n);
            List<TensorEntry> sorted = LayoutCheck.check(header.entries(), data.byteSize(), file);
            return new SafeTensorsFile(path, size, arena, data, sorted, header.metadata());
        } catch (Throwable t) {
            arena.close();
            throw t;
        }
    }

    public Path path() {
        return path;
    }

    /** The "__metadata__" strings, empty if the file has none. Unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names ordered by where their data begins in the file. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public TensorEntry entry(String name) {
        TensorEntry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(path + ": no tensor named '" + name + "'");
        }
        return e;
    }

    /** Zero-copy, read-only view of the tensor's bytes; valid until {@link #close}. */
    public MemorySegment segment(String name) {
        TensorEntry e = entry(name);
        return data.asSlice(e.begin(), e.end() - e.begin());
    }

    /** Reads a floating tensor as float[], widening F16/BF16/F8 and narrowing F64 (round to nearest). */
    public float[] readF32(String name) {
        TensorEntry e = entry(name);
        SafeDType t = e.dtypeEnum();
        if (!t.isFloating()) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' has integer dtype " + t
                    + "; readF32 reads only floating types (use readI64)");
        }
        MemorySegment s = segment(name);
        float[] out = new float[arrayLength(e)];
        guarded(name, () -> readFloats(t, s, out));
        return out;
    }

    private static void readFloats(SafeDType t, MemorySegment s, float[] out) {
        switch (t) {
            case F32 -> MemorySegment.copy(s, F32, 0, out, 0, out.length);
            case F16 -> { for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat(s.get(I16, 2L * i)); }
            // bfloat16 is the top half of a float32, so widening is a shift.
            case BF16 -> { for (int i = 0; i < out.length; i++) out[i] = Float.intBitsToFloat((s.get(I16, 2L * i) & 0xFFFF) << 16); }
            case F64 -> { for (int i = 0; i < out.length; i++) out[i] = (float) s.get(F64, 8L * i); }
            // E5M2 is the top byte of an IEEE half.
            case F8_E5M2 -> { for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat((short) (s.get(ValueLayout.JAVA_BYTE, i) << 8)); }
            case F8_E4M3 -> { for (int i = 0; i < out.length; i++) out[i] = e4m3(s.get(ValueLayout.JAVA_BYTE, i)); }
            default -> throw new AssertionError(t);
        }
    }

    /** OCP FP8 E4M3 ("fn"): bias 7, no infinities, S.1111.111 is NaN, exponent 0 subnormal. */
    static float e4m3(byte b) {
        int exp = (b >> 3) & 0xF, mant = b & 0x7;
        float mag = exp == 0xF && mant == 0x7 ? Float.NaN
                : exp == 0 ? mant * 0x1p-9f
                : (1 + mant / 8f) * Math.scalb(1f, exp - 7);
        return b < 0 ? -mag : mag;
    }

    /** Reads a floating tensor as double[]: F64 exactly (optimizer state, checkpoints), others widened. */
    public double[] readF64(String name) {
        TensorEntry e = entry(name);
        if (e.dtypeEnum() != SafeDType.F64) {
            float[] f = readF32(name);
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) d[i] = f[i];
            return d;
        }
        double[] out = new double[arrayLength(e)];
        MemorySegment s = segment(name);
        guarded(name, () -> MemorySegment.copy(s, F64, 0, out, 0, out.length));
        return out;
    }

    /** Reads an integer or BOOL tensor as long[]; U8 is zero-extended, BOOL is 1 for any non-zero byte. */
    public long[] readI64(String name) {
        TensorEntry e = entry(name);
        SafeDType t = e.dtypeEnum();
        if (t.isFloating()) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' has floating dtype " + t
                    + "; readI64 reads only integer types and BOOL (use readF32)");
        }
        MemorySegment s = segment(name);
        long[] out = new long[arrayLength(e)];
        guarded(name, () -> readLongs(t, s, out));
        return out;
    }

    private static void readLongs(SafeDType t, MemorySegment s, long[] out) {
        switch (t) {
            case I64, U64 -> MemorySegment.copy(s, I64, 0, out, 0, out.length);
            case I32 -> { for (int i = 0; i < out.length; i++) out[i] = s.get(I32, 4L * i); }
            case U32 -> { for (int i = 0; i < out.length; i++) out[i] = s.get(I32, 4L * i) & 0xFFFFFFFFL; }
            case U16 -> { for (int i = 0; i < out.length; i++) out[i] = s.get(I16, 2L * i) & 0xFFFF; }
            case I16 -> { for (int i = 0; i < out.length; i++) out[i] = s.get(I16, 2L * i); }
            case I8 -> { for (int i = 0; i < out.length; i++) out[i] = s.get(ValueLayout.JAVA_BYTE, i); }
            case U8 -> { for (int i = 0; i < out.length; i++) out[i] = s.get(ValueLayout.JAVA_BYTE, i) & 0xFF; }
            case BOOL -> { for (int i = 0; i < out.length; i++) out[i] = s.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0; }
            default -> throw new AssertionError(t);
        }
    }

    /**
     * Runs a read of the mapping. A file truncated on disk after it was mapped faults on access (the JVM
     * reports the SIGBUS as an InternalError); the size is checked first so that the common case never
     * faults, and a fault in the window between check and read still becomes our exception.
     */
    private void guarded(String tensor, Runnable read) {
        long now;
        try {
            now = Files.size(path);
        } catch (IOException e) {
            throw new SafeTensorsReadException(new SafeTensorsException(path + ": tensor '" + tensor
                    + "': the file can no longer be read (" + e.getMessage() + ")", e));
        }
        if (now < mappedBytes) throw truncated(tensor, now, null);
        try {
            read.run();
        } catch (InternalError fault) {
            throw truncated(tensor, -1, fault);
        }
    }

    private SafeTensorsReadException truncated(String tensor, long now, Throwable cause) {
        return new SafeTensorsReadException(new SafeTensorsException(path + ": tensor '" + tensor + "': the file was "
                + (now >= 0 ? "truncated to " + now + " bytes" : "changed") + " after it was opened (" + mappedBytes
                + " bytes were mapped); reopen it", cause));
    }

    // A Java array holds at most ~2^31 elements; bigger tensors must go through segment().
    private int arrayLength(TensorEntry e) {
        long n = e.numElements();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(path + ": tensor '" + e.name() + "' has " + n
                    + " elements, too many for a Java array; use segment()");
        }
        return (int) n;
    }

    /** Unmaps the file. Segments from {@link #segment} become unusable. */
    @Override
    public void close() {
        arena.close();
    }
}

package dev.groundwork.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped safetensors file (8-byte little-endian header length, JSON header, data buffer).
 * The whole header is validated at open, so a malformed file fails before any tensor is used; data
 * is read through a {@link MemorySegment}, which addresses files over 2 GiB. Close to unmap.
 */
public final class SafeTensorsFile implements AutoCloseable {
    /** Headers above this are refused before reading (the reference implementation's bound). */
    public static final long MAX_HEADER = 100L << 20;

    public record Entry(String name, SafeDType dtype, long[] shape, long begin, long end) {
        public long numel() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafeTensorsFile(Path path, Arena arena, MemorySegment data, Map<String, Entry> entries, Map<String, String> metadata) {
        this.path = path;
        this.arena = arena;
        this.data = data;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafeTensorsFile open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new SafeTensorsException(path, null, "file is " + size + " bytes, shorter than the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.getLong(0);
            if (n < 0 || n > MAX_HEADER) throw new SafeTensorsException(path, null, "header length " + Long.toUnsignedString(n) + " exceeds the " + MAX_HEADER + "-byte bound");
            if (n > size - 8) throw new SafeTensorsException(path, null, "header length " + n + " runs past the end of the " + size + "-byte file");
            ByteBuffer header = ByteBuffer.allocate((int) n);
            readFully(ch, header, 8);
            String json;
            try {
                json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(header.flip()).toString();
            } catch (CharacterCodingException e) {
                throw new SafeTensorsException(path, null, "header is not valid UTF-8");
            }
            long dataStart = 8 + n, dataSize = size - dataStart;
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, Entry> entries = parseHeader(path, json, dataSize, meta);
            Arena arena = Arena.ofShared();
            MemorySegment seg;
            try {
                seg = dataSize == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, dataStart, dataSize, arena);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
            return new SafeTensorsFile(path, arena, seg, entries, meta);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) throw new IOException("unexpected end of file");
        }
    }

    private static Map<String, Entry> parseHeader(Path path, String json, long dataSize, Map<String, String> meta) throws IOException {
        JsonNode root;
        try (JsonParser p = JSON.createParser(json)) {
            root = JSON.readTree(p);
            if (p.nextToken() != null) throw new SafeTensorsException(path, null, "header has trailing content after the JSON object");
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Duplicate field")) throw new SafeTensorsException(path, null, "duplicate tensor name: " + msg);
            throw new SafeTensorsException(path, null, "header is not well-formed JSON: " + msg);
        }
        if (root == null || !root.isObject()) throw new SafeTensorsException(path, null, "header is not a JSON object");
        List<Entry> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            var f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw new SafeTensorsException(path, null, "__metadata__ must be an object of strings");
                for (Iterator<Map.Entry<String, JsonNode>> m = v.fields(); m.hasNext(); ) {
                    var kv = m.next();
                    if (!kv.getValue().isTextual()) throw new SafeTensorsException(path, null, "__metadata__ value of '" + kv.getKey() + "' is not a string");
                    meta.put(kv.getKey(), kv.getValue().asText());
                }
                continue;
            }
            list.add(parseEntry(path, name, v, dataSize));
        }
        list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < list.size(); i++) {
            Entry a = list.get(i - 1), b = list.get(i);
            if (b.begin() < a.end())
                throw new SafeTensorsException(path, b.name(), "byte range [" + b.begin() + ", " + b.end() + ") overlaps tensor '" + a.name() + "' [" + a.begin() + ", " + a.end() + ")");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Entry e : list) out.put(e.name(), e);
        return Collections.unmodifiableMap(out);
    }

    private static Entry parseEntry(Path path, String name, JsonNode v, long dataSize) throws IOException {
        if (!v.isObject()) throw new SafeTensorsException(path, name, "entry is not a JSON object");
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets"))
                throw new SafeTensorsException(path, name, "unknown field '" + k + "' (expected dtype, shape, data_offsets)");
        }
        JsonNode dt = v.get("dtype"), sh = v.get("shape"), off = v.get("data_offsets");
        if (dt == null || sh == null || off == null) throw new SafeTensorsException(path, name, "entry must have dtype, shape and data_offsets");
        if (!dt.isTextual()) throw new SafeTensorsException(path, name, "dtype is not a string");
        SafeDType dtype = SafeDType.parse(dt.asText());
        if (dtype == null) throw new SafeTensorsException(path, name, "unknown dtype '" + dt.asText() + "'");
        if (!sh.isArray()) throw new SafeTensorsException(path, name, "shape is not an array");
        long[] shape = new long[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.canConvertToExactIntegral() || !d.isIntegralNumber() || d.asLong() < 0)
                throw new SafeTensorsException(path, name, "shape " + sh + " must hold non-negative integers");
            shape[i] = d.asLong();
            numel = Math.multiplyHigh(numel, shape[i]) != 0 ? -1 : numel * shape[i];
            if (numel < 0) throw new SafeTensorsException(path, name, "shape " + sh + " overflows");
        }
        if (!off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber())
            throw new SafeTensorsException(path, name, "data_offsets must be [begin, end] integers, got " + off);
        long begin = off.get(0).asLong(), end = off.get(1).asLong();
        if (begin < 0 || end < begin) throw new SafeTensorsException(path, name, "data_offsets [" + begin + ", " + end + "] must satisfy 0 <= begin <= end");
        if (end > dataSize) throw new SafeTensorsException(path, name, "data_offsets [" + begin + ", " + end + "] run past the " + dataSize + "-byte data buffer");
        if (end - begin != numel * dtype.size)
            throw new SafeTensorsException(path, name, "byte range of " + (end - begin) + " does not match shape " + sh + " x " + dtype + " (" + numel * dtype.size + " bytes)");
        return new Entry(name, dtype, shape, begin, end);
    }

    public Path path() { return path; }

    public Map<String, String> metadata() { return metadata; }

    /** Tensor names in data order. */
    public List<String> names() { return List.copyOf(entries.keySet()); }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new IllegalArgumentException(path + ": no tensor named '" + name + "'");
        return e;
    }

    /** The tensor's bytes, zero-copy (valid until close). */
    public MemorySegment segment(String name) {
        Entry e = entry(name);
        return e.end() == e.begin() ? MemorySegment.NULL : data.asSlice(e.begin(), e.end() - e.begin());
    }

    private int count(Entry e) {
        long n = e.numel();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException(path + ": tensor '" + e.name() + "' has " + n + " elements, more than a Java array holds");
        return (int) n;
    }

    /** Floating data as float32 (F16, BF16 and F64 converted). */
    public float[] readF32(String name) {
        Entry e = entry(name);
        MemorySegment s = segment(name);
        float[] out = new float[count(e)];
        switch (e.dtype()) {
            case F32 -> MemorySegment.copy(s, F32, 0, out, 0, out.length);
            case F64 -> { for (int i = 0; i < out.length; i++) out[i] = (float) s.getAtIndex(F64, i); }
            case F16 -> { for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat(s.getAtIndex(I16, i)); }
            case BF16 -> { for (int i = 0; i < out.length; i++) out[i] = Float.intBitsToFloat((s.getAtIndex(I16, i) & 0xFFFF) << 16); }
            default -> throw new IllegalArgumentException(path + ": tensor '" + name + "' is " + e.dtype() + ", not a floating type");
        }
        return out;
    }

    /** Floating data as float64. */
    public double[] readF64(String name) {
        Entry e = entry(name);
        if (e.dtype() != SafeDType.F64) {
            float[] f = readF32(name);
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) d[i] = f[i];
            return d;
        }
        double[] out = new double[count(e)];
        MemorySegment.copy(segment(name), F64, 0, out, 0, out.length);
        return out;
    }

    /** Integer (and bool) data widened to int64. */
    public long[] readI64(String name) {
        Entry e = entry(name);
        MemorySegment s = segment(name);
        long[] out = new long[count(e)];
        switch (e.dtype()) {
            case I64, U64 -> MemorySegment.copy(s, I64, 0, out, 0, out.length);
            case I32 -> { for (int i = 0; i < out.length; i++) out[i] = s.getAtIndex(I32, i); }
            case U32 -> { for (int i = 0; i < out.length; i++) out[i] = s.getAtIndex(I32, i) & 0xFFFFFFFFL; }
            case I16 -> { for (int i = 0; i < out.length; i++) out[i] = s.getAtIndex(I16, i); }
            case U16 -> { for (int i = 0; i < out.length; i++) out[i] = s.getAtIndex(I16, i) & 0xFFFF; }
            case I8 -> { for (int i = 0; i < out.length; i++) out[i] = s.get(ValueLayout.JAVA_BYTE, i); }
            case U8, BOOL -> { for (int i = 0; i < out.length; i++) out[i] = s.get(ValueLayout.JAVA_BYTE, i) & 0xFF; }
            default -> throw new IllegalArgumentException(path + ": tensor '" + name + "' is " + e.dtype() + ", not an integer type");
        }
        return out;
    }

    @Override
    public void close() { arena.close(); }
}

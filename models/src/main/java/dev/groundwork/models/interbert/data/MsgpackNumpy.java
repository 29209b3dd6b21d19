package dev.groundwork.models.interbert.data;

import dev.groundwork.models.checkpoint.NumpyArray;
import dev.groundwork.models.checkpoint.NumpyDType;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one msgpack value as tensorpack's {@code dumps} wrote it (msgpack with msgpack-numpy's
 * {@code encode} hook) into plain Java: null, Boolean, Long (BigInteger past int64), Double, String,
 * byte[], List, Map with String keys, and {@link NumpyArray}. msgpack-numpy writes an array as the map
 * {@code {nd: True, type: '<f4', kind: '', shape: [..], data: bytes}} and a numpy scalar as
 * {@code {nd: False, type, data}}; its keys are bin or str depending on the version, so both are read.
 * Bounded: nesting at most {@link #MAX_DEPTH}, and no container may claim more items than bytes remain.
 */
final class MsgpackNumpy {
    static final int MAX_DEPTH = 32;

    private MsgpackNumpy() {}

    /** The value of {@code bytes}; trailing bytes are an error (a value is exactly one msgpack object). */
    static Object decode(byte[] bytes) throws IOException {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            Object v = value(u, bytes.length, 0);
            if (u.hasNext()) throw new IOException("msgpack value is followed by " + (bytes.length - u.getTotalReadBytes()) + " more bytes");
            return v;
        } catch (MessagePackException e) {
            throw new IOException("malformed msgpack: " + e.getMessage(), e);
        }
    }

    private static Object value(MessageUnpacker u, int size, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new IOException("msgpack nests deeper than " + MAX_DEPTH);
        if (!u.hasNext()) throw new IOException("msgpack value is truncated");
        MessageFormat f = u.getNextFormat();
        switch (f.getValueType()) {
            case NIL -> { u.unpackNil(); return null; }
            case BOOLEAN -> { return u.unpackBoolean(); }
            case INTEGER -> {
                if (f == MessageFormat.UINT64) {
                    BigInteger b = u.unpackBigInteger();
                    return b.bitLength() < 64 ? (Object) b.longValue() : b;
                }
                return u.unpackLong();
            }
            case FLOAT -> { return u.unpackDouble(); }
            case STRING -> { return new String(payload(u, u.unpackRawStringHeader(), size), StandardCharsets.UTF_8); }
            case BINARY -> { return payload(u, u.unpackBinaryHeader(), size); }
            case ARRAY -> {
                int n = u.unpackArrayHeader();
                if (n > remaining(u, size)) throw new IOException("msgpack array claims " + n + " items, more than its bytes hold");
                List<Object> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) out.add(value(u, size, depth + 1));
                return out;
            }
            case MAP -> {
                int n = u.unpackMapHeader();
                if (n > remaining(u, size) / 2) throw new IOException("msgpack map claims " + n + " entries, more than its bytes hold");
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = value(u, size, depth + 1);
                    String key = switch (k) {
                        case String s -> s;
                        case byte[] b -> new String(b, StandardCharsets.ISO_8859_1);
                        case Long l -> l.toString();
                        case null, default -> throw new IOException("msgpack map key of type " + (k == null ? "nil" : k.getClass().getSimpleName()));
                    };
                    m.put(key, value(u, size, depth + 1));
                }
                return m.containsKey("nd") ? numpy(m) : m;
            }
            default -> throw new IOException("msgpack " + f.getValueType() + " values are not read (extension types)");
        }
    }

    private static long remaining(MessageUnpacker u, int size) { return size - u.getTotalReadBytes(); }

    private static byte[] payload(MessageUnpacker u, int n, int size) throws IOException {
        if (n < 0 || n > remaining(u, size)) throw new IOException("msgpack value is truncated: a " + Integer.toUnsignedString(n) + "-byte field runs past its end");
        return u.readPayload(n);
    }

    /** msgpack-numpy's map form of an array or scalar. */
    private static Object numpy(Map<String, Object> m) throws IOException {
        Object type = m.get("type"), data = m.get("data");
        String typeStr = type instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : type instanceof String s ? s : null;
        NumpyDType d = NumpyDType.parse(typeStr);
        if (d == null) throw new IOException("msgpack-numpy value of type " + (typeStr == null ? describe(type) : "'" + typeStr + "'") + " is not read (numeric dtypes only)");
        if (!(data instanceof byte[] raw)) throw new IOException("msgpack-numpy value has no bytes under 'data'");
        if (!Boolean.TRUE.equals(m.get("nd"))) {
            if (raw.length != d.itemSize()) throw new IOException("msgpack-numpy " + d.name() + " scalar of " + raw.length + " bytes");
            Object v = d.scalar(raw);
            if (v == null) throw new IOException("msgpack-numpy uint64 scalar beyond int64");
            return v;
        }
        Object kind = m.get("kind");
        if (kind instanceof byte[] k && k.length > 0 || kind instanceof String ks && !ks.isEmpty())
            throw new IOException("msgpack-numpy structured arrays (kind 'V') are not read");
        if (!(m.get("shape") instanceof List<?> shape)) throw new IOException("msgpack-numpy array has no 'shape' list");
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(shape.get(i) instanceof Long n)) throw new IOException("msgpack-numpy shape[" + i + "] is " + describe(shape.get(i)));
            dims[i] = n;
        }
        try {
            return NumpyArray.fromBytes(d, dims, false, raw);
        } catch (IllegalArgumentException e) {
            throw new IOException("msgpack-numpy: " + e.getMessage(), e);
        }
    }

    static String describe(Object o) {
        return o == null ? "nil" : o instanceof byte[] ? "bytes" : o.getClass().getSimpleName();
    }
}

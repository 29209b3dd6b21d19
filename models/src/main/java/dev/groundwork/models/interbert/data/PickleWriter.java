package dev.groundwork.models.interbert.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A small pickle writer for synthetic data, of the values the data pickles hold: dicts, lists, str,
 * bytes, ints, floats, bools, None and 1-/2-D int64 or float32 numpy arrays. Protocol 3 writes bytes
 * as BINBYTES (what ViLBERT's feature records use); protocol 2 writes bytes and array data the way
 * Python 3 does at that protocol, through {@code _codecs.encode(str, 'latin1')}, and arrays through
 * {@code numpy.core.multiarray._reconstruct} and BUILD (what {@code hard_negative.pkl} uses).
 * Read back by the project's unpickler in the tests.
 */
final class PickleWriter {
    /** A numpy array to write: {@code long[]} (int64) or {@code float[]} (float32) in C order. */
    record Array(Object data, int... shape) {}

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int protocol;

    private PickleWriter(int protocol) { this.protocol = protocol; }

    static byte[] dumps(Object value, int protocol) {
        if (protocol != 2 && protocol != 3) throw new IllegalArgumentException("protocol 2 or 3");
        PickleWriter w = new PickleWriter(protocol);
        w.op(0x80);
        w.op(protocol);
        w.value(value);
        w.op('.');
        return w.out.toByteArray();
    }

    private void value(Object v) {
        switch (v) {
            case null -> op('N');
            case Boolean b -> op(b ? 0x88 : 0x89);
            case Integer i -> integer(i);
            case Long l when l == (int) (long) l -> integer((int) (long) l);
            case Long l -> { op(0x8a); op(8); le(8).putLong(l); flush(); }
            case Double d -> { op('G'); out.writeBytes(ByteBuffer.allocate(8).putDouble(d).array()); }
            case String s -> str(s);
            case byte[] b -> bytes(b);
            case Array a -> array(a);
            case List<?> l -> { op(']'); if (!l.isEmpty()) { op('('); for (Object o : l) value(o); op('e'); } }
            case Map<?, ?> m -> { op('}'); if (!m.isEmpty()) { op('('); for (var e : m.entrySet()) { value(e.getKey()); value(e.getValue()); } op('u'); } }
            default -> throw new IllegalArgumentException("cannot pickle " + v.getClass().getSimpleName());
        }
    }

    private void integer(int i) {
        if (i >= 0 && i < 256) { op('K'); op(i); }
        else { op('J'); le(4).putInt(i); flush(); }
    }

    private void str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le(4).putInt(b.length);
        flush();
        out.writeBytes(b);
    }

    private void bytes(byte[] b) {
        if (protocol >= 3) {
            op('B');
            le(4).putInt(b.length);
            flush();
            out.writeBytes(b);
            return;
        }
        global("_codecs", "encode");
        str(new String(b, StandardCharsets.ISO_8859_1));
        str("latin1");
        op(0x86);
        op('R');
    }

    private void array(Array a) {
        boolean f32 = a.data() instanceof float[];
        int n = f32 ? ((float[]) a.data()).length : ((long[]) a.data()).length;
        ByteBuffer raw = ByteBuffer.allocate(n * (f32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        if (f32) raw.asFloatBuffer().put((float[]) a.data());
        else raw.asLongBuffer().put((long[]) a.data());
        global("numpy.core.multiarray", "_reconstruct");
        global("numpy", "ndarray");
        integer(0);
        op(0x85);
        bytes(new byte[]{'b'});
        op(0x87);
        op('R');
        op('(');
        integer(1);
        op('(');
        for (int d : a.shape()) integer(d);
        op('t');
        global("numpy", "dtype");
        str(f32 ? "f4" : "i8");
        op(0x89);
        op(0x88);
        op(0x87);
        op('R');
        op('(');
        integer(3);
        str("<");
        op('N'); op('N'); op('N');
        op('J'); le(4).putInt(-1); flush();
        op('J'); le(4).putInt(-1); flush();
        integer(0);
        op('t');
        op('b');
        op(0x89);
        bytes(raw.array());
        op('t');
        op('b');
    }

    private void global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private ByteBuffer pending;

    private ByteBuffer le(int n) { return pending = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }

    private void flush() { out.writeBytes(pending.array()); }

    private void op(int b) { out.write(b); }
}

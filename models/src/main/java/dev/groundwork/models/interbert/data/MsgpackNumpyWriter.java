package dev.groundwork.models.interbert.data;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes values the way tensorpack 0.9.4's {@code dumps} does (msgpack with {@code use_bin_type}, numpy
 * arrays through msgpack-numpy 0.4.8's hook): msgpack-core packs, and this class adds msgpack-numpy's
 * map form {@code {b'nd': True, b'type': '<f4', b'kind': b'', b'shape': [..], b'data': bytes}}.
 * Values: null, Boolean, Integer/Long, Double, String, byte[], List, and {@link PickleWriter.Array}
 * (float32 only here: what the pretraining records hold).
 */
final class MsgpackNumpyWriter {
    private MsgpackNumpyWriter() {}

    static byte[] dumps(Object value) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            pack(p, value);
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("packing into memory failed", e);
        }
    }

    private static void pack(MessageBufferPacker p, Object v) throws IOException {
        switch (v) {
            case null -> p.packNil();
            case Boolean b -> p.packBoolean(b);
            case Integer i -> p.packInt(i);
            case Long l -> p.packLong(l);
            case Double d -> p.packDouble(d);
            case String s -> p.packString(s);
            case byte[] b -> { p.packBinaryHeader(b.length); p.writePayload(b); }
            case List<?> l -> { p.packArrayHeader(l.size()); for (Object o : l) pack(p, o); }
            case PickleWriter.Array a -> {
                float[] f = (float[]) a.data();
                ByteBuffer raw = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                raw.asFloatBuffer().put(f);
                p.packMapHeader(5);
                bin(p, "nd"); p.packBoolean(true);
                bin(p, "type"); p.packString("<f4");
                bin(p, "kind"); p.packBinaryHeader(0);
                bin(p, "shape"); p.packArrayHeader(a.shape().length); for (int d : a.shape()) p.packInt(d);
                bin(p, "data"); p.packBinaryHeader(raw.capacity()); p.writePayload(raw.array());
            }
            default -> throw new IllegalArgumentException("cannot pack " + v.getClass().getSimpleName());
        }
    }

    private static void bin(MessageBufferPacker p, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        p.packBinaryHeader(b.length);
        p.writePayload(b);
    }
}

package dev.groundwork.models.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Pickle opcodes written by hand, for hostile test files that no Python library would produce.
 * Each method appends one opcode (protocol 2 spellings, as torch.save writes them).
 */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PickleBytes proto2() { return new PickleBytes().op(0x80).op(2); }

    PickleBytes op(int code) { out.write(code); return this; }

    PickleBytes raw(byte[] b) { out.writeBytes(b); return this; }

    PickleBytes global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** BINUNICODE with the string's UTF-8 bytes. */
    PickleBytes str(String s) { return utf8Bytes(s.getBytes(StandardCharsets.UTF_8)); }

    /** BINUNICODE with arbitrary bytes (invalid UTF-8 included). */
    PickleBytes utf8Bytes(byte[] b) { return op('X').raw(le32(b.length)).raw(b); }

    /** An int: BININT for 32-bit values, LONG1 otherwise. */
    PickleBytes integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return op('J').raw(le32((int) v));
        byte[] be = BigInteger.valueOf(v).toByteArray();
        byte[] le = new byte[be.length];
        for (int i = 0; i < be.length; i++) le[i] = be[be.length - 1 - i];
        return op(0x8a).op(le.length).raw(le);
    }

    PickleBytes mark() { return op('('); }

    PickleBytes tuple() { return op('t'); }

    PickleBytes emptyTuple() { return op(')'); }

    PickleBytes emptyDict() { return op('}'); }

    PickleBytes emptyList() { return op(']'); }

    PickleBytes append() { return op('a'); }

    PickleBytes setItem() { return op('s'); }

    /** BINPUT for slots below 256, LONG_BINPUT above. */
    PickleBytes put(int slot) { return slot < 256 ? op('q').op(slot) : op('r').raw(le32(slot)); }

    /** BINGET for slots below 256, LONG_BINGET above. */
    PickleBytes get(int slot) { return slot < 256 ? op('h').op(slot) : op('j').raw(le32(slot)); }

    PickleBytes pop() { return op('0'); }

    PickleBytes reduce() { return op('R'); }

    PickleBytes persistentId() { return op('Q'); }

    PickleBytes bool(boolean v) { return op(v ? 0x88 : 0x89); }

    PickleBytes stop() { return op('.'); }

    byte[] bytes() { return out.toByteArray(); }

    /** The zip persistent id ('storage', torch.<type>, key, 'cpu', numel). */
    PickleBytes storage(String type, String key, long numel) {
        return mark().str("storage").global("torch", type).str(key).str("cpu").integer(numel).tuple().persistentId();
    }

    /** _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()) with the storage already built by {@code storage}. */
    PickleBytes tensor(Runnable storage, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        storage.run();
        integer(offset).mark();
        for (long s : size) integer(s);
        tuple().mark();
        for (long s : stride) integer(s);
        tuple().bool(false).global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
        return this;
    }

    /** A one-tensor state dict {name: tensor} over storage (type, key, numel). */
    static byte[] stateDict(String name, String type, String key, long numel, long offset, long[] size, long[] stride) {
        PickleBytes p = proto2().emptyDict().str(name);
        p.tensor(() -> p.storage(type, key, numel), offset, size, stride);
        return p.setItem().stop().bytes();
    }

    static byte[] le32(int v) { return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(); }

    static byte[] le64(long v) { return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array(); }

    /** A torch.save zip: archive/data.pkl, then archive/data/KEY for each storage, all STORED as torch writes them. */
    static Path torchZip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            stored(z, "archive/data.pkl", pickle);
            for (var e : storages.entrySet()) stored(z, "archive/data/" + e.getKey(), e.getValue());
        }
        return file;
    }

    static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    /**
     * A legacy (pre-1.6) torch.save file: the five pickles, then each storage as its int64 count and
     * bytes. {@code root} is the object-graph pickle; {@code countsAndBytes} the raw tail.
     */
    static Path legacy(Path file, byte[] root, String[] keys, byte[] tail) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(proto2().op(0x8a).op(10).raw(reverse(LegacyArchive.MAGIC.toByteArray(), 10)).stop().bytes());
        b.writeBytes(proto2().integer(1001).stop().bytes());
        b.writeBytes(proto2().emptyDict().str("little_endian").bool(true).setItem().stop().bytes());
        b.writeBytes(root);
        PickleBytes k = proto2().emptyList();
        for (String key : keys) k.str(key).append();
        b.writeBytes(k.stop().bytes());
        b.writeBytes(tail);
        Files.write(file, b.toByteArray());
        return file;
    }

    /** Big-endian two's complement to n little-endian bytes. */
    private static byte[] reverse(byte[] be, int n) {
        byte[] le = new byte[n];
        for (int i = 0; i < n; i++) le[i] = i < be.length ? be[be.length - 1 - i] : 0;
        return le;
    }

    /** The legacy persistent id ('storage', torch.<type>, key, 'cpu', numel, view) with view None or (key, offset, size). */
    PickleBytes legacyStorage(String type, String key, long numel, long[] view) {
        mark().str("storage").global("torch", type).str(key).str("cpu").integer(numel);
        if (view == null) op('N');
        else mark().str(key).integer(view[0]).integer(view[1]).tuple();
        return tuple().persistentId();
    }
}

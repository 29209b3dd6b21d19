package dev.groundwork.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads numpy's {@code .npy} format (versions 1 to 3) for the dtypes evaluation data comes in:
 * float32, float64, int32, int64 and fixed-width unicode ({@code <U14}), little- or big-endian. A
 * pickled object array ({@code |O}) is refused, as numpy's {@code allow_pickle=False} does: reading one
 * would mean running its pickle. Every other dtype, a structured dtype, a Fortran-ordered array of
 * rank 2 or more, and a file whose length disagrees with its header are refused with an
 * {@link NpyException} naming the file and the rule.
 *
 * <p>The header is a Python dict literal; it is parsed by a small strict grammar (strings, True/False,
 * tuples of non-negative integers), never evaluated. Sizes are multiplied with overflow checks and
 * held to Java array limits before anything is allocated.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy itself writes headers of a few hundred bytes; a longer one is not an array we want. */
    static final int MAX_HEADER = 64 * 1024;
    static final int MAX_RANK = 32;

    private NpyReader() {}

    public static NpyArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0, file, "the magic string and header length");
            for (int i = 0; i < MAGIC.length; i++)
                if (pre.get(i) != MAGIC[i]) throw new NpyException(file + ": not a .npy file (no \\x93NUMPY magic string)");
            int major = pre.get(6) & 0xFF;
            long headerLen;
            int headerStart;
            switch (major) {
                case 1 -> { headerLen = pre.getShort(8) & 0xFFFF; headerStart = 10; }
                case 2, 3 -> { headerLen = pre.getInt(8) & 0xFFFFFFFFL; headerStart = 12; }
                default -> throw new NpyException(file + ": .npy format version " + major + " is not supported (1, 2 or 3)");
            }
            if (headerLen > MAX_HEADER) throw new NpyException(file + ": header of " + headerLen + " bytes exceeds " + MAX_HEADER);
            if (headerStart + headerLen > size) throw new NpyException(file + ": truncated inside its header");
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, headerStart, file, "the header");
            // Versions 1 and 2 write latin-1 (in practice ASCII); version 3 writes UTF-8.
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Header h = Header.parse(file, header);
            Dtype dt = Dtype.parse(file, h.descr());
            if (h.fortranOrder() && h.shape().length > 1)
                throw new NpyException(file + ": Fortran-ordered arrays of rank " + h.shape().length + " are not supported; save it in C order");
            long count = 1;
            for (long d : h.shape()) {
                count = multiply(file, count, d);
            }
            if (count > Integer.MAX_VALUE - 8) throw new NpyException(file + ": " + count + " elements exceed what one Java array holds");
            long bytes = multiply(file, count, dt.itemSize());
            long dataStart = headerStart + headerLen;
            if (dataStart + bytes != size)
                throw new NpyException(file + ": header promises " + bytes + " bytes of data (" + count + " x " + dt.itemSize()
                        + ") but the file holds " + (size - dataStart));
            if (bytes > Integer.MAX_VALUE - 8) throw new NpyException(file + ": " + bytes + " bytes of data exceed 2 GiB");
            ByteBuffer data = ByteBuffer.allocate((int) bytes).order(dt.order());
            readFully(ch, data, dataStart, file, "the data");
            return decode(file, h.descr(), toInts(h.shape()), dt, data, (int) count);
        } catch (NoSuchFileException e) {
            throw new NpyException(file + ": no such file");
        }
    }

    private static NpyArray decode(Path file, String descr, int[] shape, Dtype dt, ByteBuffer b, int n) throws NpyException {
        switch (dt.kind()) {
            case 'f' -> {
                if (dt.itemSize() == 4) {
                    float[] v = new float[n];
                    b.asFloatBuffer().get(v);
                    return NpyArray.ofFloats(file, descr, shape, v);
                }
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                return NpyArray.ofDoubles(file, descr, shape, v);
            }
            case 'i' -> {
                long[] v = new long[n];
                if (dt.itemSize() == 8) b.asLongBuffer().get(v);
                else for (int i = 0; i < n; i++) v[i] = b.getInt(4 * i);
                return NpyArray.ofLongs(file, descr, shape, v);
            }
            default -> {
                int chars = dt.itemSize() / 4;
                String[] v = new String[n];
                StringBuilder sb = new StringBuilder(chars);
                for (int i = 0; i < n; i++) {
                    sb.setLength(0);
                    int base = i * dt.itemSize(), len = chars;
                    while (len > 0 && b.getInt(base + 4 * (len - 1)) == 0) len--;   // numpy strips trailing NULs
                    for (int c = 0; c < len; c++) {
                        int cp = b.getInt(base + 4 * c);
                        if (cp < 0 || cp > Character.MAX_CODE_POINT || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE))
                            throw new NpyException(file + ": element " + i + " holds " + String.format("0x%X", cp) + ", not a Unicode code point");
                        sb.appendCodePoint(cp);
                    }
                    v[i] = sb.toString();
                }
                return NpyArray.ofStrings(file, descr, shape, v);
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long at, Path file, String what) throws IOException {
        long pos = at;
        while (into.hasRemaining()) {
            int r = ch.read(into, pos);
            if (r < 0) throw new NpyException(file + ": truncated inside " + what);
            pos += r;
        }
        into.flip();
    }

    private static long multiply(Path file, long a, long b) throws NpyException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new NpyException(file + ": array size overflows 64 bits");
        }
    }

    private static int[] toInts(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = (int) shape[i];
        return s;
    }

    /** The three keys numpy writes; anything else in the dict is refused. */
    record Header(String descr, boolean fortranOrder, long[] shape) {
        static Header parse(Path file, String text) throws NpyException {
            Map<String, Object> d = new DictParser(file, text).dict();
            if (!d.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape")))
                throw new NpyException(file + ": header keys " + d.keySet() + ", expected descr, fortran_order and shape");
            if (!(d.get("descr") instanceof String descr))
                throw new NpyException(file + ": header 'descr' is " + d.get("descr") + ", not a plain dtype string (structured dtypes are not supported)");
            if (!(d.get("fortran_order") instanceof Boolean fortran)) throw new NpyException(file + ": header 'fortran_order' is not True or False");
            if (!(d.get("shape") instanceof long[] shape)) throw new NpyException(file + ": header 'shape' is not a tuple of integers");
            for (long s : shape)
                if (s > Integer.MAX_VALUE) throw new NpyException(file + ": dimension " + s + " is too large");
            return new Header(descr, fortran, shape);
        }
    }

    /** A numpy dtype string we read: its kind (f, i, U), item size and byte order. */
    record Dtype(char kind, int itemSize, ByteOrder order) {
        static Dtype parse(Path file, String descr) throws NpyException {
            if (descr.equals("|O") || descr.equals("O") || descr.endsWith("O8") || descr.endsWith("O4"))
                throw new NpyException(file + ": dtype " + descr + " is a pickled object array; refused (it could run code when read). "
                        + "Save strings as a fixed-width unicode array (numpy dtype '<U')");
            if (descr.length() < 3) throw unsupported(file, descr);
            char endian = descr.charAt(0), kind = descr.charAt(1);
            ByteOrder order = switch (endian) {
                case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
                case '>' -> ByteOrder.BIG_ENDIAN;
                default -> throw unsupported(file, descr);
            };
            int size;
            try {
                size = Integer.parseInt(descr.substring(2));
            } catch (NumberFormatException e) {
                throw unsupported(file, descr);
            }
            return switch (kind) {
                case 'f' -> {
                    if (size != 4 && size != 8) throw unsupported(file, descr);
                    yield new Dtype('f', size, order);
                }
                case 'i' -> {
                    if (size != 4 && size != 8) throw unsupported(file, descr);
                    yield new Dtype('i', size, order);
                }
                case 'U' -> {
                    if (size < 1 || size > (1 << 20)) throw new NpyException(file + ": unicode width " + size + " is out of range 1.." + (1 << 20));
                    yield new Dtype('U', 4 * size, order);
                }
                default -> throw unsupported(file, descr);
            };
        }

        private static NpyException unsupported(Path file, String descr) {
            return new NpyException(file + ": dtype '" + descr + "' is not supported (float32, float64, int32, int64 or unicode '<U')");
        }
    }

    /** {'key': value, ...} with string, True/False and tuple-of-int values; nothing is evaluated. */
    private static final class DictParser {
        private final Path file;
        private final String s;
        private int at;

        DictParser(Path file, String s) {
            this.file = file;
            this.s = s;
        }

        Map<String, Object> dict() throws NpyException {
            Map<String, Object> out = new LinkedHashMap<>();
            expect('{');
            while (true) {
                space();
                if (peek() == '}') { at++; break; }
                String key = string();
                expect(':');
                space();
                Object value = value();
                if (out.put(key, value) != null) throw error("repeats the key '" + key + "'");
                space();
                if (peek() == ',') at++;
                else if (peek() != '}') throw error("expected ',' or '}'");
            }
            space();
            if (at != s.length()) throw error("holds text after the dict");
            return out;
        }

        private Object value() throws NpyException {
            char c = peek();
            if (c == '\'' || c == '"') return string();
            if (s.startsWith("True", at)) { at += 4; return Boolean.TRUE; }
            if (s.startsWith("False", at)) { at += 5; return Boolean.FALSE; }
            if (c == '(') return tuple();
            if (c == '[') throw error("has a list value (a structured dtype); not supported");
            throw error("has a value that is neither a string, True/False nor a tuple");
        }

        private long[] tuple() throws NpyException {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                space();
                if (peek() == ')') { at++; break; }
                int start = at;
                while (at < s.length() && Character.isDigit(s.charAt(at))) at++;
                if (at == start || at - start > 18) throw error("has a shape entry that is not a non-negative integer");
                dims.add(Long.parseLong(s.substring(start, at)));
                if (dims.size() > MAX_RANK) throw error("has a shape of more than " + MAX_RANK + " dimensions");
                space();
                if (peek() == ',') at++;
                else if (peek() != ')') throw error("expected ',' or ')' in the shape");
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private String string() throws NpyException {
            char q = peek();
            if (q != '\'' && q != '"') throw error("expected a quoted string");
            int end = s.indexOf(q, at + 1);
            if (end < 0) throw error("has an unterminated string");
            String v = s.substring(at + 1, end);
            if (v.indexOf('\\') >= 0) throw error("has an escape sequence in a string");
            at = end + 1;
            return v;
        }

        private void expect(char c) throws NpyException {
            space();
            if (peek() != c) throw error("expected '" + c + "'");
            at++;
        }

        private char peek() throws NpyException {
            if (at >= s.length()) throw error("ends early");
            return s.charAt(at);
        }

        private void space() {
            while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\n' || s.charAt(at) == '\t' || s.charAt(at) == '\r')) at++;
        }

        private NpyException error(String what) {
            return new NpyException(file + ": header " + what + " (at character " + at + ")");
        }
    }
}

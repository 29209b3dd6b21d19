package dev.groundwork.models.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A numpy dtype as a data pickle or msgpack-numpy names it ({@code 'f4'} with a byte order set later
 * by BUILD, or {@code '<f4'} in one string): numeric kinds only. Strings, objects and structured
 * dtypes are refused; a pickle of them would need code or arbitrary objects to rebuild.
 */
public final class NumpyDType {
    private final char kind;
    private final int itemSize;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    private NumpyDType(char kind, int itemSize) {
        this.kind = kind;
        this.itemSize = itemSize;
    }

    /** Parses {@code [<>|=]?[fiub][size]}; null when it is not a numeric dtype this reader supports. */
    public static NumpyDType parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 4) return null;
        ByteOrder o = ByteOrder.LITTLE_ENDIAN;
        char c = s.charAt(0);
        if (c == '<' || c == '>' || c == '|' || c == '=') {
            if (c == '>') o = ByteOrder.BIG_ENDIAN;
            s = s.substring(1);
        }
        if (s.length() < 2) return null;
        char kind = s.charAt(0);
        int size;
        try {
            size = Integer.parseInt(s.substring(1));
        } catch (NumberFormatException e) {
            return null;
        }
        boolean ok = switch (kind) {
            case 'f' -> size == 2 || size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'b' -> size == 1;
            default -> false;
        };
        if (!ok) return null;
        NumpyDType d = new NumpyDType(kind, size);
        d.order = o;
        return d;
    }

    /** BUILD's byte order character; '|' and '=' leave little-endian (every writer we read is x86 or ARM). */
    void byteOrder(String c) {
        if (">".equals(c)) order = ByteOrder.BIG_ENDIAN;
        else if ("<".equals(c)) order = ByteOrder.LITTLE_ENDIAN;
    }

    public int itemSize() { return itemSize; }

    /** numpy's name: float32, int64, uint8, bool ... */
    public String name() {
        return switch (kind) {
            case 'f' -> "float" + itemSize * 8;
            case 'i' -> "int" + itemSize * 8;
            case 'u' -> "uint" + itemSize * 8;
            default -> "bool";
        };
    }

    /**
     * The elements of {@code raw} (exactly {@code count} items) as float[] (float16/32), double[]
     * (float64) or long[] (integers, bool), in the order they are stored. Null when a uint64 does
     * not fit a long.
     */
    Object decode(byte[] raw, int count) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        switch (kind) {
            case 'f' -> {
                if (itemSize == 8) {
                    double[] d = new double[count];
                    for (int i = 0; i < count; i++) d[i] = b.getDouble();
                    return d;
                }
                float[] f = new float[count];
                for (int i = 0; i < count; i++) f[i] = itemSize == 4 ? b.getFloat() : Float.float16ToFloat(b.getShort());
                return f;
            }
            default -> {
                long[] l = new long[count];
                for (int i = 0; i < count; i++) {
                    long v = switch (itemSize) {
                        case 1 -> kind == 'i' ? b.get() : b.get() & 0xFFL;
                        case 2 -> kind == 'i' ? b.getShort() : b.getShort() & 0xFFFFL;
                        case 4 -> kind == 'i' ? b.getInt() : b.getInt() & 0xFFFFFFFFL;
                        default -> b.getLong();
                    };
                    if (kind == 'u' && itemSize == 8 && v < 0) return null;
                    if (kind == 'b' && v > 1) v = 1;
                    l[i] = v;
                }
                return l;
            }
        }
    }

    /** One scalar of this dtype: Long, Double or Boolean; null for a uint64 beyond long. */
    public Object scalar(byte[] raw) {
        Object a = decode(raw, 1);
        return switch (a) {
            case null -> null;
            case long[] l -> kind == 'b' ? (Object) (l[0] != 0) : (Object) l[0];
            case float[] f -> (double) f[0];
            case double[] d -> d[0];
            default -> throw new IllegalStateException();
        };
    }
}

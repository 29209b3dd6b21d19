package dev.groundwork.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes {@code .npy} files (format 1.0, little-endian, C order) that numpy and {@link NpyReader} read:
 * float32, float64 and int64 arrays and fixed-width unicode string arrays. Each file is written atomically
 * ({@link AtomicFiles}), so an interrupted write leaves any earlier file intact.
 */
public final class NpyWriter {
    private NpyWriter() {}

    public static void writeFloats(Path file, float[] values, int... shape) throws IOException {
        check(values.length, shape);
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        write(file, "<f4", shape, b);
    }

    public static void writeDoubles(Path file, double[] values, int... shape) throws IOException {
        check(values.length, shape);
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        write(file, "<f8", shape, b);
    }

    public static void writeLongs(Path file, long[] values, int... shape) throws IOException {
        check(values.length, shape);
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        write(file, "<i8", shape, b);
    }

    /** A 1-d unicode array as wide as its longest string (numpy's {@code np.array(list_of_str)}). */
    public static void writeStrings(Path file, String[] values) throws IOException { writeStrings(file, values, values.length); }

    /** A unicode array of {@code shape} (C order), as wide as its longest string. */
    public static void writeStrings(Path file, String[] values, int... shape) throws IOException {
        check(values.length, shape);
        int width = 1;
        for (String v : values) width = Math.max(width, (int) v.codePoints().count());
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(Math.multiplyExact(values.length, width), 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            int[] cps = values[i].codePoints().toArray();
            for (int c = 0; c < cps.length; c++) b.putInt((i * width + c) * 4, cps[c]);
        }
        write(file, "<U" + width, shape, b);
    }

    private static void check(int n, int[] shape) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            count *= d;
        }
        if (count != n) throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
    }

    private static void write(Path file, String descr, int[] shape, ByteBuffer data) throws IOException {
        // Python's tuple spelling, as numpy writes it: (), (3,), (3, 4).
        String dims = shape.length == 1 ? shape[0] + ","
                : String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList());
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        // Pad with spaces so the data starts on a 64-byte boundary, then end the header with a newline.
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        if (h.length > 0xFFFF) throw new IllegalArgumentException("a rank-" + shape.length + " shape does not fit a version 1.0 header");
        ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).flip();
        data.rewind();
        ByteBuffer head = ByteBuffer.wrap(h);
        AtomicFiles.write(file, ch -> {
            for (ByteBuffer part : new ByteBuffer[]{pre, head, data})
                while (part.hasRemaining()) ch.write(part);
        });
    }
}

package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.io.SafeDType;
import dev.groundwork.engine.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor as stored: its element type, shape and contiguous row-major little-endian bytes. Kept
 * separate from {@link Tensor} so a conversion can write F16/BF16/I32 data bit for bit instead of
 * through the engine's wider types.
 */
public record RawTensor(SafeDType dtype, long[] shape, byte[] data) {
    public long numel() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    /**
     * The engine tensor: F32, F16 and BF16 become F32 (half types widened), F64 stays F64, and every
     * integer or bool type becomes I64, the same rules as {@code TensorFiles.load}.
     */
    public Tensor toTensor() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            // Engine tensors have int sizes; a huge dimension is refused even when another one is 0.
            if (shape[i] > Integer.MAX_VALUE)
                throw new IllegalArgumentException("dimension " + i + " of shape " + Arrays.toString(shape) + " is over 2^31 - 1, too large for an engine tensor");
            s[i] = (int) shape[i];
        }
        long count = numel();
        if (count > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + count + " elements, more than one tensor holds");
        int n = (int) count;
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F64 -> {
                double[] d = new double[n];
                b.asDoubleBuffer().get(d);
                return Tensor.of(d, s);
            }
            case F32, F16, BF16 -> {
                float[] f = new float[n];
                if (dtype == SafeDType.F32) b.asFloatBuffer().get(f);
                else if (dtype == SafeDType.F16) for (int i = 0; i < n; i++) f[i] = Float.float16ToFloat(b.getShort(2 * i));
                else for (int i = 0; i < n; i++) f[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xFFFF) << 16);
                return Tensor.of(f, s);
            }
            default -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) l[i] = switch (dtype) {
                    case I64, U64 -> b.getLong(8 * i);
                    case I32 -> b.getInt(4 * i);
                    case U32 -> b.getInt(4 * i) & 0xFFFFFFFFL;
                    case I16 -> b.getShort(2 * i);
                    case U16 -> b.getShort(2 * i) & 0xFFFF;
                    case I8 -> b.get(i);
                    default -> b.get(i) & 0xFF; // U8, BOOL
                };
                return Tensor.ofLongs(l, s);
            }
        }
    }

    @Override
    public String toString() { return "RawTensor[" + dtype + ", " + Arrays.toString(shape) + "]"; }
}

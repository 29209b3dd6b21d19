package dev.groundwork.models.checkpoint;

import java.util.Arrays;

/**
 * A numpy array read from a data pickle: its dtype name ({@code float32}, {@code int64} ...), its shape
 * and its elements in C (row-major) order as one typed Java array: {@code float[]} for float16/32,
 * {@code double[]} for float64, {@code long[]} for every integer kind and bool. The element count is
 * checked against the bytes the pickle carried, so an array is never larger than its file allows.
 * A pickle makes an empty array first and fills it by BUILD ({@link #fill}); the reader refuses a
 * pickle that leaves one unfilled, so users only ever see filled arrays.
 */
public final class NumpyArray {
    private String dtype;
    private int[] shape;
    private Object data;

    /** More dimensions than numpy allows (64). */
    public static final int MAX_RANK = 64;

    /** The empty array of {@code numpy.core.multiarray._reconstruct}, to be filled by BUILD. */
    NumpyArray() {}

    NumpyArray(String dtype, int[] shape, Object data) { fill(dtype, shape, data); }

    void fill(String dtype, int[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    boolean filled() { return data != null; }

    Object data() { return data; }

    public String dtype() { return dtype; }

    public int[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    /** Number of elements. */
    public int size() { return java.lang.reflect.Array.getLength(data); }

    public boolean isFloat() { return data instanceof float[] || data instanceof double[]; }

    /** The elements of a float16/float32 array (no copy); anything else is an error naming the dtype. */
    public float[] floats() {
        if (data instanceof float[] f) return f;
        throw new IllegalStateException("a " + dtype + " array is not float32");
    }

    /** The elements of an integer or bool array (no copy). */
    public long[] longs() {
        if (data instanceof long[] l) return l;
        throw new IllegalStateException("a " + dtype + " array is not an integer array");
    }

    /** Every element widened to double, whatever the dtype. */
    public double[] doubles() {
        return switch (data) {
            case double[] d -> d;
            case float[] f -> { double[] d = new double[f.length]; for (int i = 0; i < f.length; i++) d[i] = f[i]; yield d; }
            case long[] l -> { double[] d = new double[l.length]; for (int i = 0; i < l.length; i++) d[i] = l[i]; yield d; }
            default -> throw new IllegalStateException(dtype);
        };
    }

    @Override
    public String toString() { return "ndarray(" + dtype + ", shape=" + Arrays.toString(shape) + ")"; }

    /**
     * An array from its raw bytes as numpy stores them ({@code tobytes()}; column-major when
     * {@code fortran}). The bytes must be exactly the shape's element count times the item size,
     * checked without overflow; anything else is an IllegalArgumentException saying what differs.
     */
    public static NumpyArray fromBytes(NumpyDType d, long[] shape, boolean fortran, byte[] raw) {
        if (shape.length > MAX_RANK) throw new IllegalArgumentException("numpy array of rank " + shape.length + " (at most " + MAX_RANK + ")");
        int[] dims = new int[shape.length];
        long count = 1;
        boolean over = false;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) throw new IllegalArgumentException("numpy array dimension " + i + " is " + shape[i]);
            dims[i] = (int) shape[i];
            if (!over) {
                count = Math.multiplyExact(count, shape[i]);
                over = count > raw.length;  // cannot match the bytes; stop before the product could overflow
            }
        }
        if (over || count * d.itemSize() != raw.length)
            throw new IllegalArgumentException("numpy " + d.name() + " array of shape " + Arrays.toString(shape) + " needs "
                    + (over ? "more than " + raw.length : String.valueOf(count * d.itemSize())) + " bytes, there are " + raw.length);
        Object data = d.decode(raw, (int) count);
        if (data == null) throw new IllegalArgumentException("a uint64 array holds values beyond int64");
        if (fortran && dims.length > 1) data = toRowMajor(data, dims);
        return new NumpyArray(d.name(), dims, data);
    }

    /** Column-major elements to row-major: element (i0..ik) sits at Σ i_j·Π_{m<j} n_m in the input. */
    private static Object toRowMajor(Object src, int[] shape) {
        int n = java.lang.reflect.Array.getLength(src), rank = shape.length;
        Object dst = java.lang.reflect.Array.newInstance(src.getClass().getComponentType(), n);
        int[] idx = new int[rank];
        for (int c = 0; c < n; c++) {
            int f = 0, stride = 1;
            for (int j = 0; j < rank; j++) { f += idx[j] * stride; stride *= shape[j]; }
            System.arraycopy(src, f, dst, c, 1);
            for (int j = rank - 1; j >= 0; j--) { if (++idx[j] < shape[j]) break; idx[j] = 0; }
        }
        return dst;
    }
}

package dev.groundwork.engine.io;

import dev.groundwork.engine.tensor.Shape;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One array read from a {@code .npy} file ({@link NpyReader}): its shape and numpy dtype string, and
 * its values in C order as one of float32, float64, integer (int32 and int64 both as {@code long}) or
 * unicode strings. The accessors convert where no value can change (float32 to double, int to double
 * up to 2^53) and otherwise refuse, naming the file and what it holds.
 */
public final class NpyArray {
    private final Path file;
    private final String descr;
    private final int[] shape;
    private final float[] f32;
    private final double[] f64;
    private final long[] ints;
    private final String[] strings;

    private NpyArray(Path file, String descr, int[] shape, float[] f32, double[] f64, long[] ints, String[] strings) {
        this.file = file;
        this.descr = descr;
        this.shape = shape.clone();
        this.f32 = f32;
        this.f64 = f64;
        this.ints = ints;
        this.strings = strings;
    }

    static NpyArray ofFloats(Path file, String descr, int[] shape, float[] v) { return new NpyArray(file, descr, shape, v, null, null, null); }

    static NpyArray ofDoubles(Path file, String descr, int[] shape, double[] v) { return new NpyArray(file, descr, shape, null, v, null, null); }

    static NpyArray ofLongs(Path file, String descr, int[] shape, long[] v) { return new NpyArray(file, descr, shape, null, null, v, null); }

    static NpyArray ofStrings(Path file, String descr, int[] shape, String[] v) { return new NpyArray(file, descr, shape, null, null, null, v); }

    public Path file() { return file; }

    /** The numpy dtype string as written in the header, e.g. {@code <U14}, {@code <f8}. */
    public String descr() { return descr; }

    public int[] shape() { return shape.clone(); }

    /** Rows: the first dimension (1 for a 0-d array). */
    public int length() { return shape.length == 0 ? 1 : shape[0]; }

    public boolean isStrings() { return strings != null; }

    public boolean isIntegers() { return ints != null; }

    /** Every value as a double: floats as they are, integers when exact (|v| ≤ 2^53). */
    public double[] doubles() throws NpyException {
        if (f64 != null) return f64.clone();
        if (f32 != null) {
            double[] d = new double[f32.length];
            for (int i = 0; i < d.length; i++) d[i] = f32[i];
            return d;
        }
        if (ints != null) {
            double[] d = new double[ints.length];
            for (int i = 0; i < d.length; i++) {
                if (Math.abs(ints[i]) > (1L << 53)) throw new NpyException(file + ": value " + ints[i] + " at index " + i + " is not exact as a double");
                d[i] = ints[i];
            }
            return d;
        }
        throw wrongKind("numbers");
    }

    /** Float values as float32 (float64 rounded to nearest); integer or string arrays are refused. */
    public float[] floats() throws NpyException {
        if (f32 != null) return f32.clone();
        if (f64 != null) {
            float[] f = new float[f64.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) f64[i];
            return f;
        }
        throw wrongKind("floating-point numbers");
    }

    /** Integer values; float or string arrays are refused. */
    public long[] longs() throws NpyException {
        if (ints != null) return ints.clone();
        throw wrongKind("integers");
    }

    /** Unicode strings, trailing NULs removed as numpy does; numeric arrays are refused. */
    public String[] strings() throws NpyException {
        if (strings != null) return strings.clone();
        throw wrongKind("strings (a unicode <U array)");
    }

    /** Refuses an array of another rank, naming the file and both shapes. */
    public NpyArray requireRank(int rank) throws NpyException {
        if (shape.length != rank)
            throw new NpyException(file + ": expected a " + rank + "-d array, found shape " + Shape.str(shape));
        return this;
    }

    private NpyException wrongKind(String wanted) {
        return new NpyException(file + ": holds dtype " + descr + " " + Shape.str(shape) + ", expected " + wanted);
    }

    @Override
    public String toString() { return file.getFileName() + " " + descr + " " + Arrays.toString(shape); }
}

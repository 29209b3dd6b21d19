package dev.groundwork.engine.cpu;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Storage;

/**
 * Heap storage. Generic (reference) kernels read and write through {@link #get}/{@link #set} in
 * double, which serves every dtype; hot paths reach for the typed array directly.
 */
public abstract sealed class CpuStorage extends Storage {
    protected CpuStorage(DType dtype, int size) { super(dtype, size); }

    public static CpuStorage allocate(DType dtype, int size) {
        return switch (dtype) {
            case F32 -> new F32(new float[size]);
            case F64 -> new F64(new double[size]);
            case I64 -> new I64(new long[size]);
            case I32 -> new I32(new int[size]);
        };
    }

    @Override public Device device() { return Device.CPU; }

    @Override protected void free() {}

    public abstract double get(int i);

    public abstract void set(int i, double v);

    public float[] f32() { throw new IllegalStateException("storage is " + dtype() + ", not F32"); }

    public double[] f64() { throw new IllegalStateException("storage is " + dtype() + ", not F64"); }

    public long[] i64() { throw new IllegalStateException("storage is " + dtype() + ", not I64"); }

    public int[] i32() { throw new IllegalStateException("storage is " + dtype() + ", not I32"); }

    public static final class F32 extends CpuStorage {
        final float[] a;
        public F32(float[] a) { super(DType.F32, a.length); this.a = a; }
        @Override public double get(int i) { return a[i]; }
        @Override public void set(int i, double v) { a[i] = (float) v; }
        @Override public float[] f32() { return a; }
    }

    public static final class F64 extends CpuStorage {
        final double[] a;
        public F64(double[] a) { super(DType.F64, a.length); this.a = a; }
        @Override public double get(int i) { return a[i]; }
        @Override public void set(int i, double v) { a[i] = v; }
        @Override public double[] f64() { return a; }
    }

    public static final class I64 extends CpuStorage {
        final long[] a;
        public I64(long[] a) { super(DType.I64, a.length); this.a = a; }
        @Override public double get(int i) { return a[i]; }
        @Override public void set(int i, double v) { a[i] = (long) v; }
        @Override public long[] i64() { return a; }
    }

    public static final class I32 extends CpuStorage {
        final int[] a;
        public I32(int[] a) { super(DType.I32, a.length); this.a = a; }
        @Override public double get(int i) { return a[i]; }
        @Override public void set(int i, double v) { a[i] = (int) v; }
        @Override public int[] i32() { return a; }
    }
}

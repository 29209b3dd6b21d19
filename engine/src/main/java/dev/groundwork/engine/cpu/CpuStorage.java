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

    /** Zero-filled, as every allocation is (float32 arrays may come from {@link CpuBufferPool}). */
    public static CpuStorage allocate(DType dtype, int size) {
        return switch (dtype) {
            case F32 -> {
                float[] a = CpuBufferPool.take(size);
                if (a != null) java.util.Arrays.fill(a, 0f);
                yield new F32(a != null ? a : new float[size], true);
            }
            case F64 -> new F64(new double[size]);
            case I64 -> new I64(new long[size]);
            case I32 -> new I32(new int[size]);
        };
    }

    /**
     * For an output the kernel overwrites in full: a float32 array may come dirty from {@link CpuBufferPool}
     * (NaN-filled under {@code -Dgw.cpu.poison=true}); other dtypes are zeroed as by {@link #allocate}.
     */
    public static CpuStorage allocateUninitialized(DType dtype, int size) {
        if (dtype != DType.F32) return allocate(dtype, size);
        float[] a = CpuBufferPool.take(size);
        if (a == null) a = new float[size];
        if (CpuBufferPool.POISON) java.util.Arrays.fill(a, Float.NaN);
        return new F32(a, true);
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
        /** Allocated by this backend, so it goes back to {@link CpuBufferPool} when released; a wrapped array never does. */
        private final boolean pooled;

        public F32(float[] a) { this(a, false); }

        private F32(float[] a, boolean pooled) {
            super(DType.F32, a.length);
            this.a = a;
            this.pooled = pooled;
        }

        @Override protected void free() { if (pooled) CpuBufferPool.give(a); }
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

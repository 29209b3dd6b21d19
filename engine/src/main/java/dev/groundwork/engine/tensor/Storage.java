package dev.groundwork.engine.tensor;

/**
 * A flat buffer of elements on one device, shared by a tensor and all its views.
 *
 * <p>Device memory must never wait for the garbage collector, so storages are reference counted:
 * every tensor that points at a storage holds one reference, {@link Tensor#close()} drops it, and the
 * backend frees the memory when the count reaches zero. CPU storages live on the Java heap and make
 * {@link #free()} a no-op.
 */
public abstract class Storage {
    private final DType dtype;
    private final int size;
    private int refs = 1;

    protected Storage(DType dtype, int size) {
        this.dtype = dtype;
        this.size = size;
    }

    public DType dtype() { return dtype; }

    /** Number of elements. */
    public int size() { return size; }

    public abstract Device device();

    public final synchronized Storage retain() {
        if (refs <= 0) throw new IllegalStateException("storage already released");
        refs++;
        return this;
    }

    public final synchronized void release() {
        if (refs <= 0) return;
        if (--refs == 0) free();
    }

    public final synchronized boolean isLive() { return refs > 0; }

    /** How many tensors hold this storage (1: exactly one, which may then take it over, see Autograd). */
    public final synchronized int refs() { return refs; }

    /** Returns the memory to its device; called once, when the last reference is released. */
    protected abstract void free();
}

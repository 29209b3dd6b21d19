package dev.groundwork.kernels.memory;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Storage;

/**
 * Device memory behind a tensor. The engine's reference count calls {@link #free()} when the last
 * tensor sharing it is closed, which hands the block back to the caching allocator at once.
 */
public final class CudaStorage extends Storage {
    private final Device device;
    private final CachingAllocator allocator;
    private final CachingAllocator.Block block;

    public CudaStorage(Device device, CachingAllocator allocator, DType dtype, int size, CachingAllocator.Block block) {
        super(dtype, size);
        this.device = device;
        this.allocator = allocator;
        this.block = block;
    }

    @Override public Device device() { return device; }

    /** Device address of element 0. */
    public long address() {
        if (!isLive()) throw new IllegalStateException("CUDA storage used after it was released");
        return block.address();
    }

    public long bytes() { return (long) size() * dtype().byteSize(); }

    @Override protected void free() { allocator.free(block); }
}

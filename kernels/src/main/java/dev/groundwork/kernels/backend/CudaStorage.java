package dev.groundwork.kernels.backend;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Storage;
import dev.groundwork.kernels.memory.CachingAllocator;

/**
 * Device memory behind a tensor. The engine's reference count calls {@link #free()} when the last
 * tensor sharing it is closed, which hands the block back to the caching allocator at once.
 */
public final class CudaStorage extends Storage {
    private final CudaBackend backend;
    private final CachingAllocator.Block block;

    CudaStorage(CudaBackend backend, DType dtype, int size, CachingAllocator.Block block) {
        super(dtype, size);
        this.backend = backend;
        this.block = block;
    }

    @Override public Device device() { return backend.device(); }

    /** Device address of element 0. */
    public long address() {
        if (!isLive()) throw new IllegalStateException("CUDA storage used after it was released");
        return block.address();
    }

    public long bytes() { return (long) size() * dtype().byteSize(); }

    @Override protected void free() { backend.allocator().free(block); }
}

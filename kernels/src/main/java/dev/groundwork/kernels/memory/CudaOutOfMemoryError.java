package dev.groundwork.kernels.memory;

/** Device memory exhausted even after the cache was emptied: the request and the allocator's state. */
public final class CudaOutOfMemoryError extends RuntimeException {
    public CudaOutOfMemoryError(long requested, int device, AllocatorStats stats, String driverError) {
        super(String.format("CUDA out of memory on cuda:%d: tried to allocate %s (%d bytes) after emptying the cache; %s; driver: %s",
                device, AllocatorStats.mib(requested), requested, stats, driverError));
    }
}

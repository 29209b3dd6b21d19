package dev.groundwork.kernels.memory;

/**
 * A snapshot of the caching allocator: bytes handed out to tensors now, bytes held from the driver
 * (handed out plus cached), the peak of handed-out bytes, and counts of driver calls and cache hits.
 */
public record AllocatorStats(long allocatedBytes, long reservedBytes, long peakAllocatedBytes,
                             long driverAllocs, long driverFrees, long cacheHits, long cachedBlocks) {
    @Override
    public String toString() {
        return String.format("allocated %s, reserved %s, peak %s, cached blocks %d, driver allocs %d / frees %d, cache hits %d",
                mib(allocatedBytes), mib(reservedBytes), mib(peakAllocatedBytes), cachedBlocks, driverAllocs, driverFrees, cacheHits);
    }

    static String mib(long b) { return String.format("%.1f MiB", b / (1024.0 * 1024.0)); }
}

package dev.groundwork.kernels.memory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching device allocator in the manner of PyTorch's: cuMemAlloc and cuMemFree synchronise the
 * device and cost tens of microseconds, so freed blocks are kept and handed out again.
 *
 * <ul>
 *   <li>Small requests (up to 1 MiB) are rounded up to a multiple of 512 bytes and served from exact
 *       size-class bins.</li>
 *   <li>Large requests are rounded up to a multiple of 2 MiB and served by the smallest cached block
 *       that fits, if it wastes at most a quarter of itself (large-block reuse without splitting; an
 *       oversized block is left for a request it suits better).</li>
 *   <li>Stream-aware: a block freed on one stream is only reused on that stream, where the stream
 *       order guarantees the previous user's kernels have finished with it.</li>
 *   <li>Out of memory: every cached block is returned to the driver and the allocation retried once;
 *       a second failure throws {@link CudaOutOfMemoryError} with the request and these statistics.</li>
 * </ul>
 * Memory is released deterministically: storages call {@link #free} when their reference count
 * reaches zero (see {@code Storage}); nothing here waits for the garbage collector.
 */
public final class CachingAllocator {
    public static final long SMALL_LIMIT = 1 << 20, SMALL_ROUND = 512, LARGE_ROUND = 2 << 20;

    /** A handed-out or cached region: its address, rounded size and owning stream. */
    public record Block(long address, long size, long stream) {}

    private final DeviceMemory memory;
    private final int device;
    private record SizeClass(long stream, long size) {}

    private final Map<SizeClass, ArrayDeque<Block>> small = new HashMap<>();
    private final Map<Long, TreeMap<Long, ArrayDeque<Block>>> large = new HashMap<>(); // stream -> size -> blocks
    private long allocated, reserved, peak, driverAllocs, driverFrees, hits, cached;

    public CachingAllocator(DeviceMemory memory, int device) {
        this.memory = memory;
        this.device = device;
    }

    public static long roundSize(long bytes) {
        long b = Math.max(bytes, 1);
        if (b <= SMALL_LIMIT) return (b + SMALL_ROUND - 1) / SMALL_ROUND * SMALL_ROUND;
        return (b + LARGE_ROUND - 1) / LARGE_ROUND * LARGE_ROUND;
    }

    public synchronized Block allocate(long bytes, long stream) {
        long size = roundSize(bytes);
        Block b = size <= SMALL_LIMIT ? takeSmall(size, stream) : takeLarge(size, stream);
        if (b != null) {
            hits++;
            cached--;
        } else {
            b = new Block(mallocWithRetry(size), size, stream);
        }
        allocated += b.size();
        peak = Math.max(peak, allocated);
        return b;
    }

    public synchronized void free(Block b) {
        allocated -= b.size();
        cached++;
        if (b.size() <= SMALL_LIMIT) small.computeIfAbsent(smallKey(b.size(), b.stream()), k -> new ArrayDeque<>()).push(b);
        else large.computeIfAbsent(b.stream(), k -> new TreeMap<>()).computeIfAbsent(b.size(), k -> new ArrayDeque<>()).push(b);
    }

    /** Returns every cached block to the driver (after the device has finished with them). */
    public synchronized void emptyCache() {
        if (cached == 0) return;
        memory.synchronize();
        for (ArrayDeque<Block> q : small.values()) for (Block b : q) release(b);
        for (TreeMap<Long, ArrayDeque<Block>> t : large.values()) for (ArrayDeque<Block> q : t.values()) for (Block b : q) release(b);
        small.clear();
        large.clear();
        cached = 0;
    }

    public synchronized AllocatorStats stats() {
        return new AllocatorStats(allocated, reserved, peak, driverAllocs, driverFrees, hits, cached);
    }

    public synchronized void resetPeak() { peak = allocated; }

    private static SizeClass smallKey(long size, long stream) { return new SizeClass(stream, size); }

    private Block takeSmall(long size, long stream) {
        ArrayDeque<Block> q = small.get(smallKey(size, stream));
        return q == null || q.isEmpty() ? null : q.pop();
    }

    private Block takeLarge(long size, long stream) {
        TreeMap<Long, ArrayDeque<Block>> t = large.get(stream);
        if (t == null) return null;
        var e = t.ceilingEntry(size);
        if (e == null || e.getKey() - size > e.getKey() / 4) return null;
        Block b = e.getValue().pop();
        if (e.getValue().isEmpty()) t.remove(e.getKey());
        return b;
    }

    private long mallocWithRetry(long size) {
        try {
            return malloc(size);
        } catch (DeviceMemory.OutOfMemory first) {
            emptyCache();
            try {
                return malloc(size);
            } catch (DeviceMemory.OutOfMemory second) {
                throw new CudaOutOfMemoryError(size, device, stats(), second.getMessage());
            }
        }
    }

    private long malloc(long size) {
        long a = memory.malloc(size);
        driverAllocs++;
        reserved += size;
        return a;
    }

    private void release(Block b) {
        memory.free(b.address());
        driverFrees++;
        reserved -= b.size();
    }
}

package dev.groundwork.kernels.memory;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The allocator's policy against a fake device (no GPU needed). */
class CachingAllocatorTest {
    /** A device with a byte budget that records live allocations. */
    static final class FakeDevice implements DeviceMemory {
        long budget, used, next = 4096, syncs;
        final Set<Long> live = new HashSet<>();
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();

        FakeDevice(long budget) { this.budget = budget; }

        @Override public long malloc(long bytes) {
            if (used + bytes > budget) throw new OutOfMemory("fake device full: " + used + " + " + bytes + " > " + budget);
            used += bytes;
            long a = next;
            next += bytes + 4096;
            live.add(a);
            sizes.put(a, bytes);
            return a;
        }

        @Override public void free(long address) {
            assertTrue(live.remove(address), "double free of " + address);
            used -= sizes.remove(address);
        }

        @Override public void synchronize() { syncs++; }
    }

    @Test
    void roundsSmallTo512AndLargeTo2MiB() {
        assertEquals(512, CachingAllocator.roundSize(1));
        assertEquals(1024, CachingAllocator.roundSize(513));
        assertEquals(1 << 20, CachingAllocator.roundSize(1 << 20));
        assertEquals(2 << 20, CachingAllocator.roundSize((1 << 20) + 1));
        assertEquals(4 << 20, CachingAllocator.roundSize((2 << 20) + 1));
    }

    @Test
    void reusesFreedBlocksOfTheSameClassAndStream() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CachingAllocator a = new CachingAllocator(dev, 0);
        var b1 = a.allocate(1000, 7);
        a.free(b1);
        var b2 = a.allocate(900, 7);
        assertEquals(b1.address(), b2.address(), "same 1024-byte class on the same stream is reused");
        var b3 = a.allocate(900, 8);
        assertNotEquals(b2.address(), b3.address(), "another stream never gets the block");
        var s = a.stats();
        assertEquals(2, s.driverAllocs());
        assertEquals(1, s.cacheHits());
        assertEquals(2048, s.allocatedBytes());
    }

    @Test
    void largeBlocksAreReusedOnlyWhenTheyFitWithoutMuchWaste() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CachingAllocator a = new CachingAllocator(dev, 0);
        var big = a.allocate(64 << 20, 0);
        a.free(big);
        var small = a.allocate(4 << 20, 0);
        assertNotEquals(big.address(), small.address(), "a 64 MiB block is not wasted on 4 MiB");
        var close = a.allocate(60 << 20, 0);
        assertEquals(big.address(), close.address(), "60 MiB reuses the cached 64 MiB block");
    }

    @Test
    void statsTrackPeakAndEmptyCacheReturnsMemory() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CachingAllocator a = new CachingAllocator(dev, 0);
        var x = a.allocate(10 << 20, 0);
        var y = a.allocate(6 << 20, 0);
        a.free(x);
        a.free(y);
        var s = a.stats();
        assertEquals(0, s.allocatedBytes());
        assertEquals(16 << 20, s.peakAllocatedBytes());
        assertEquals(16 << 20, s.reservedBytes());
        a.emptyCache();
        assertEquals(0, a.stats().reservedBytes());
        assertEquals(0, dev.used);
        assertTrue(dev.syncs > 0, "the device is synchronised before memory goes back to the driver");
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
        FakeDevice dev = new FakeDevice(32 << 20);
        CachingAllocator a = new CachingAllocator(dev, 0);
        var x = a.allocate(20 << 20, 0);
        a.free(x);                                   // cached, still held from the driver
        var y = a.allocate(24 << 20, 0);             // does not fit beside the cached block: retry after emptying
        assertEquals(24 << 20, y.size());
        assertEquals(1, a.stats().driverFrees());
        CudaOutOfMemoryError e = assertThrows(CudaOutOfMemoryError.class, () -> a.allocate(30 << 20, 0));
        assertTrue(e.getMessage().contains("30.0 MiB") && e.getMessage().contains("allocated 24.0 MiB"), e.getMessage());
    }
}

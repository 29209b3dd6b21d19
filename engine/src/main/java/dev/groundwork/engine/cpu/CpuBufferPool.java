package dev.groundwork.engine.cpu;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Released float32 tensor arrays, kept by exact length for the next allocation of that length: the CPU side
 * of the caching allocator every GPU framework has. A transformer forward releases each layer's
 * activations when the layer returns (no-grad) or the step ends, and the next layer or step asks for the
 * very same sizes, so after the first layer almost every op output comes from here instead of a fresh
 * zeroed array. Before this pool, allocating and zeroing those arrays (several MB each, humongous objects to
 * G1) and collecting them took 16–20 % of a BERT inference forward on 2 cores (issue 15 §2).
 *
 * <p>Only arrays the CPU backend allocated itself enter the pool ({@link CpuStorage.F32#pooled}): an array a
 * caller wrapped ({@code Tensor.ofFloats}) stays the caller's. An array returns when the storage's last
 * reference is released, so views keep it out of the pool as long as they live.
 *
 * <p>Memory: entries are soft references, so the garbage collector reclaims the pool before it would
 * throw {@link OutOfMemoryError}, and the pool holds at most {@code gw.cpu.pool.bytes} (default a quarter of
 * the maximum heap; 0 turns pooling off). Arrays under {@link #MIN_FLOATS} are not pooled: the thread's
 * allocation buffer makes them cheap.
 *
 * <p>A pooled array is dirty. {@link CpuStorage#allocate} zeroes it (the contract of every allocation);
 * {@link CpuStorage#allocateUninitialized} does not, for outputs a kernel overwrites entirely. With
 * {@code -Dgw.cpu.poison=true} (the test suites set it) every uninitialized array, fresh or pooled, is
 * filled with NaN, so a kernel that leaves an element unwritten fails its tests instead of reading stale
 * values.
 */
public final class CpuBufferPool {
    private CpuBufferPool() {}

    /** 64 KiB: below this a fresh array costs less than the pool's bookkeeping. */
    static final int MIN_FLOATS = 1 << 14;
    static final boolean POISON = Boolean.getBoolean("gw.cpu.poison");
    private static final long CAP_BYTES = Long.getLong("gw.cpu.pool.bytes", Runtime.getRuntime().maxMemory() / 4);

    private static final class Entry extends SoftReference<float[]> {
        final int length;

        Entry(float[] a, ReferenceQueue<float[]> q) {
            super(a, q);
            this.length = a.length;
        }
    }

    private static final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<Entry>> FREE = new ConcurrentHashMap<>();
    private static final ReferenceQueue<float[]> CLEARED = new ReferenceQueue<>();
    private static final AtomicLong HELD = new AtomicLong(), HITS = new AtomicLong();

    /** A released array of exactly {@code length} floats (dirty), or null. */
    static float[] take(int length) {
        if (length < MIN_FLOATS || CAP_BYTES <= 0) return null;
        reconcile();
        ConcurrentLinkedDeque<Entry> q = FREE.get(length);
        if (q != null) {
            for (Entry e; (e = q.pollFirst()) != null; ) {
                float[] a = e.get();
                if (a != null) {
                    e.clear();      // cleared by us: reconcile() never sees it, so account here
                    HELD.addAndGet(-4L * length);
                    HITS.incrementAndGet();
                    return a;
                }
            }
        }
        return null;
    }

    /** Keeps a released array for reuse, unless the pool is full. */
    static void give(float[] a) {
        if (a.length < MIN_FLOATS || CAP_BYTES <= 0) return;
        reconcile();
        long bytes = 4L * a.length;
        if (HELD.addAndGet(bytes) > CAP_BYTES) {
            HELD.addAndGet(-bytes);
            return;
        }
        // Most recently released first: its memory is the likeliest to be in cache.
        FREE.computeIfAbsent(a.length, k -> new ConcurrentLinkedDeque<>()).addFirst(new Entry(a, CLEARED));
    }

    /** Accounts for the arrays the garbage collector reclaimed under memory pressure. */
    private static void reconcile() {
        for (java.lang.ref.Reference<? extends float[]> r; (r = CLEARED.poll()) != null; )
            HELD.addAndGet(-4L * ((Entry) r).length);
    }

    /** Allocations served from the pool since start (for tests). */
    static long hits() { return HITS.get(); }

    /** Whether uninitialized arrays are filled with NaN ({@code -Dgw.cpu.poison=true}). */
    public static boolean poisoning() { return POISON; }
}

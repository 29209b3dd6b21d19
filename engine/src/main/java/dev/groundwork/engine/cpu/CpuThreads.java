package dev.groundwork.engine.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread pool of the CPU backend.
 *
 * <p>Size: system property {@code gw.threads}, else environment variable {@code GW_THREADS}, else
 * {@link Runtime#availableProcessors()}. One dedicated pool (not the common pool) so that compute
 * kernels never compete with unrelated {@code parallelStream()} work and so the size is ours to pick.
 *
 * <p>Kernels call {@link #parallelFor}; a call made from inside a pool worker runs inline, so a
 * parallel kernel invoked from another parallel kernel (conv calling GEMM per chunk) cannot
 * deadlock or oversubscribe the cores.
 */
public final class CpuThreads {

    /** Body of a parallel loop over the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface IntRangeBody {
        void run(int from, int to);
    }

    private static final int THREADS = resolveThreads();
    /** Chunks per thread in {@link #parallelFor}, for dynamic load balancing. */
    static final int OVERSPLIT = 4;
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS, pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("gw-cpu-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }, null, false);

    /** Non-zero while a non-pool thread runs its own share of a parallelFor. */
    private static final ThreadLocal<int[]> NESTING = ThreadLocal.withInitial(() -> new int[1]);

    private CpuThreads() {}

    /** Number of worker threads (≥ 1). */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over {@code [start, end)} split into contiguous chunks of at least
     * {@code grain} indices (a range shorter than grain is one chunk). There are up to
     * {@value #OVERSPLIT} chunks per thread, claimed dynamically: on a small shared machine another
     * process can stall one core at any time, and with a static one-chunk-per-thread split the whole
     * call would wait for the stalled chunk. Runs inline when there is only one chunk, one thread,
     * or when the caller already is inside a parallelFor of this pool (nested parallelism would only
     * oversubscribe the cores).
     */
    public static void parallelFor(int start, int end, int grain, IntRangeBody body) {
        int len = end - start;
        if (len <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        int chunks = (int) Math.min((long) THREADS * OVERSPLIT, Math.max(1, len / g));
        if (chunks <= 1 || THREADS == 1 || onPoolThread()) {
            body.run(start, end);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable claimLoop = () -> {
            for (int ci = next.getAndIncrement(); ci < chunks; ci = next.getAndIncrement()) {
                int from = start + (int) ((long) len * ci / chunks);
                int to = start + (int) ((long) len * (ci + 1) / chunks);
                body.run(from, to);
            }
        };
        int helpers = Math.min(THREADS, chunks) - 1;
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[helpers];
        for (int i = 0; i < helpers; i++) {
            tasks[i] = POOL.submit(claimLoop);
        }
        // The caller claims chunks too instead of idling while it waits.
        // While it does, nested parallelFor calls from this thread run inline, as on a worker.
        Throwable failure = null;
        int[] depth = NESTING.get();
        depth[0]++;
        try {
            claimLoop.run();
        } catch (Throwable e) {
            failure = e;
        } finally {
            depth[0]--;
        }
        for (ForkJoinTask<?> task : tasks) {
            try {
                task.join();
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error er) {
            throw er;
        }
        if (failure != null) {
            throw new RuntimeException(failure);
        }
    }

    private static boolean onPoolThread() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == POOL
                || NESTING.get()[0] > 0;
    }

    private static int resolveThreads() {
        return dev.groundwork.engine.settings.Settings.current().threads();
    }
}

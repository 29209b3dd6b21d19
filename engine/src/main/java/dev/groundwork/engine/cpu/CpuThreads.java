package dev.groundwork.engine.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

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
     * {@code grain} indices (except possibly a shorter range overall). Chunk count is at most
     * {@link #threads()}: kernels do their own blocking inside a chunk, so more, smaller tasks would
     * only add scheduling overhead and hurt cache reuse. Runs inline when there is only one chunk,
     * one thread, or when the caller already is inside a parallelFor of this pool.
     */
    public static void parallelFor(int start, int end, int grain, IntRangeBody body) {
        int len = end - start;
        if (len <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        int chunks = (int) Math.min(THREADS, ((long) len + g - 1) / g);
        if (chunks <= 1 || onPoolThread()) {
            body.run(start, end);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        // Even split: the first (len % chunks) chunks get one extra index.
        int base = len / chunks, extra = len % chunks;
        int firstEnd = start + base + (extra > 0 ? 1 : 0);
        int from = firstEnd;
        for (int i = 1; i < chunks; i++) {
            int size = base + (i < extra ? 1 : 0);
            int f = from, t = from + size;
            tasks[i - 1] = POOL.submit(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(f, t);
                }
            });
            from = t;
        }
        // The caller does the first chunk itself instead of idling while it waits.
        // While it does, nested parallelFor calls from this thread run inline, as on a worker.
        Throwable failure = null;
        int[] depth = NESTING.get();
        depth[0]++;
        try {
            body.run(start, firstEnd);
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
        String s = System.getProperty("gw.threads");
        if (s == null || s.isBlank()) {
            s = System.getenv("GW_THREADS");
        }
        if (s != null && !s.isBlank()) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the core count
            }
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}

package dev.groundwork.engine.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.ArrayList;
import java.util.List;

/** Placeholder replaced by the GEMM branch's pool. */
public final class CpuThreads {
    private CpuThreads() {}

    public interface IntRangeBody { void run(int from, int to); }

    private static final ForkJoinPool POOL = new ForkJoinPool(threads());

    public static int threads() {
        String p = System.getProperty("gw.threads", System.getenv("GW_THREADS"));
        return p != null ? Integer.parseInt(p) : Runtime.getRuntime().availableProcessors();
    }

    public static void parallelFor(int start, int end, int grain, IntRangeBody body) {
        int n = end - start;
        int t = threads();
        if (n <= grain || t == 1 || ForkJoinTask.inForkJoinPool()) { body.run(start, end); return; }
        int chunks = Math.min(t * 4, (n + grain - 1) / grain);
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            int from = start + (int) ((long) n * c / chunks), to = start + (int) ((long) n * (c + 1) / chunks);
            tasks.add(POOL.submit(() -> body.run(from, to)));
        }
        for (ForkJoinTask<?> task : tasks) task.join();
    }
}

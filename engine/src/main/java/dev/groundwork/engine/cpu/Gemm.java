package dev.groundwork.engine.cpu;

import static dev.groundwork.engine.cpu.GemmMicroKernel.MR;
import static dev.groundwork.engine.cpu.GemmMicroKernel.NR;

import java.util.Arrays;

/**
 * Single-precision GEMM on {@code float[]} with row-major BLAS semantics:
 * {@code C = alpha * op(A) * op(B) + beta * C}, op(A) is m x k, op(B) is k x n, C is m x n.
 * With {@code transA} A is stored k x m (row-major, leading dimension lda), likewise B.
 * {@code beta == 0} overwrites C without reading it.
 *
 * <p>Structure (GotoBLAS / BLIS): for each NC-wide column block of B, for each KC-deep slice, pack
 * the B block once; for each MC-tall row block of A pack it; then sweep MR x NR micro-tiles with
 * {@link GemmMicroKernel}. Threads share each packed B block (packed cooperatively) and claim
 * (row block x column slice) units dynamically, each packing its A block into a thread-local
 * buffer; dynamic claiming keeps both cores busy even when another process stalls one of them.
 *
 * <p>Block sizes, for the target machine (AMD Zen 5: 48 KiB L1d, 1 MiB L2 per core, 32 MiB L3),
 * with MR=6 and NR=32 (AVX-512) or 16 (AVX2):
 * <ul>
 *   <li>KC = 256: one packed B micro-panel is KC*NR*4 = 32 KiB (16 KiB on AVX2) and stays in L1
 *       while the kernel walks down the A block, next to the 6 KiB A micro-panel being streamed.
 *   <li>MC = 360 (a multiple of MR): the packed A block is MC*KC*4 = 360 KiB, about a third of L2,
 *       so it survives in L2 across all NC/NR B micro-panels.
 *   <li>NC = 4096: the packed B block is KC*NC*4 = 4 MiB, resident in the shared L3 and reused by
 *       every A block; large NC keeps the number of A re-packs low.
 * </ul>
 */
public final class Gemm {

    static final int KC = 256;
    static final int MC = 360;
    static final int NC = 4096;
    /** Below this many multiply-adds packing does not pay; use {@link GemmSmall}. */
    static final long SMALL_MNK = 48L * 48 * 48;
    /** Minimum multiply-adds per batched task; below this, forking costs more than it saves. */
    private static final long MIN_TASK_MNK = 1L << 20;
    /** Work units per thread in one (NC, KC) block: enough for dynamic load balancing. */
    private static final int UNITS_PER_THREAD = 4;

    /** Per-thread packing buffers, grown on demand and then reused by every later call. */
    private static final class Buffers {
        private float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int need) {
            if (a.length < need) {
                a = new float[need];
            }
            return a;
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Gemm() {}

    /** Row-major SGEMM; see the class comment. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * {@code batch} independent GEMMs; matrix {@code i} starts at {@code aOff + i*aStride} (likewise
     * B and C). A stride of 0 broadcasts that operand to every batch (e.g. a shared weight). C must
     * not be broadcast when {@code batch > 1}. Many small matrices run one per thread (parallel over
     * the batch); otherwise each GEMM is itself parallel.
     */
    public static void sgemmBatched(boolean transA, boolean transB, int batch, int m, int n, int k,
                                    float alpha, float[] a, int aOff, int lda, int aStride,
                                    float[] b, int bOff, int ldb, int bStride,
                                    float beta, float[] c, int cOff, int ldc, int cStride) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch < 0: " + batch);
        }
        if (batch == 0) {
            return;
        }
        if (batch > 1 && cStride == 0 && m > 0 && n > 0) {
            throw new IllegalArgumentException("C cannot be broadcast (cStride == 0) across a batch");
        }
        int last = batch - 1;
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        check(transA, transB, m, n, k, a, aOff + last * aStride, lda, b, bOff + last * bStride, ldb,
                c, cOff + last * cStride, ldc);
        long mnk = (long) m * n * k;
        boolean perBatch = batch >= CpuThreads.threads() && mnk < 64L * MIN_TASK_MNK;
        if (perBatch) {
            int grain = (int) Math.max(1, MIN_TASK_MNK / Math.max(1, mnk));
            CpuThreads.parallelFor(0, batch, grain, (from, to) -> {
                for (int i = from; i < to; i++) {
                    run(transA, transB, m, n, k, alpha, a, aOff + i * aStride, lda,
                            b, bOff + i * bStride, ldb, beta, c, cOff + i * cStride, ldc);
                }
            });
        } else {
            for (int i = 0; i < batch; i++) {
                run(transA, transB, m, n, k, alpha, a, aOff + i * aStride, lda,
                        b, bOff + i * bStride, ldb, beta, c, cOff + i * cStride, ldc);
            }
        }
    }

    private static void run(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            for (int i = 0; i < m; i++) {
                scaleRow(c, cOff + i * ldc, n, beta);
            }
            return;
        }
        long mnk = (long) m * n * k;
        if (mnk <= SMALL_MNK || m == 1 || n == 1) {
            GemmSmall.run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The blocked loop nest. Per (NC, KC) block the packed B block is shared by all threads (packed
     * in parallel, read-only afterwards); the work units are (MC row block x column slice) pairs,
     * claimed dynamically, each packing its own A block. Called from inside another parallel loop,
     * every parallelFor here runs inline and this is the plain serial GotoBLAS loop.
     */
    private static void blocked(boolean transA, boolean transB, int m, int n, int k,
                                float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        int threads = CpuThreads.threads();
        // Even block sizes (e.g. k=300 -> 150+150, not 256+44) keep every block worth its packing.
        int kcMax = evenBlock(k, KC, 1);
        int ncMax = evenBlock(n, NC, NR);
        // Enough row blocks for load balancing (UNITS_PER_THREAD each), but never below 4 micro-rows:
        // smaller A blocks would re-stream the B block from L3 too often.
        int units = UNITS_PER_THREAD * threads;
        int mcMax = Math.min(evenBlock(m, MC, MR), Math.max(4 * MR, roundUp((m + units - 1) / units, MR)));
        int mBlocks = (m + mcMax - 1) / mcMax;
        int ncPanels = (ncMax + NR - 1) / NR;
        // If M alone does not give enough units (short, wide C), also cut the columns.
        int nSlices = Math.min(ncPanels, Math.max(1, (units + mBlocks - 1) / mBlocks));
        int panelsPerSlice = (ncPanels + nSlices - 1) / nSlices;

        float[] bp = sharedB(roundUp(ncMax, NR) * kcMax);
        // beta = 0: the first K slice stores, the later ones accumulate, and C is never read before it is
        // written (it may be a reused buffer with stale values, see CpuBufferPool). Any other beta is
        // applied once up front (beta = 1 is a no-op) and every slice accumulates.
        boolean storeFirst = beta == 0f;
        if (!storeFirst && beta != 1f) {
            CpuThreads.parallelFor(0, m, Math.max(1, (1 << 16) / n), (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    scaleRow(c, cOff + i * ldc, n, beta);
                }
            });
        }
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            int panels = (nc + NR - 1) / NR;
            int jcF = jc;
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc), pcF = pc;
                boolean store = storeFirst && pc == 0;
                CpuThreads.parallelFor(0, panels, 8, (p0, p1) -> GemmPack.packB(transB, b, bOff, ldb, pcF, kc,
                        jcF + p0 * NR, Math.min(nc, p1 * NR) - p0 * NR, bp, p0 * NR * kc));
                int slices = Math.min(nSlices, panels);
                CpuThreads.parallelFor(0, mBlocks * slices, 1, (u0, u1) -> {
                    Buffers buf = BUFFERS.get();
                    float[] ap = buf.a(roundUp(mcMax, MR) * kc);
                    int packedBlock = -1;
                    for (int u = u0; u < u1; u++) {
                        int blk = u / slices, slice = u % slices;
                        int ic = blk * mcMax, mc = Math.min(mcMax, m - ic);
                        if (blk != packedBlock) { // consecutive units of one row block share its A
                            GemmPack.packA(transA, a, aOff, lda, ic, mc, pcF, kc, alpha, ap);
                            packedBlock = blk;
                        }
                        int j0 = slice * panelsPerSlice * NR, j1 = Math.min(nc, j0 + panelsPerSlice * NR);
                        if (j0 < j1) {
                            macro(mc, j1 - j0, kc, ap, bp, j0 * kc, c, cOff + ic * ldc + jcF + j0, ldc, buf.tile, store);
                        }
                    }
                });
            }
        }
    }

    /** The caller's packed-B buffer; only the calling thread ever grows it. */
    private static float[] sharedB(int need) {
        Buffers buf = BUFFERS.get();
        if (buf.b.length < need) {
            buf.b = new float[need];
        }
        return buf.b;
    }

    /**
     * Sweeps the micro-tiles of one packed A block against packed B panels starting at bBase; store: write
     * the tiles (the first K slice of a beta = 0 product) rather than add them to C.
     */
    private static void macro(int mc, int nc, int kc, float[] ap, float[] bp, int bBase,
                              float[] c, int cBase, int ldc, float[] tile, boolean store) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bIdx = bBase + jr * kc; // panel jr/NR starts at (jr/NR)*NR*kc
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int aIdx = ir * kc;
                int cIdx = cBase + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    GemmMicroKernel.kernel(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, store);
                } else {
                    // Ragged edge: the full tile into scratch (the packed padding is zero), then the valid part.
                    GemmMicroKernel.kernel(kc, ap, aIdx, bp, bIdx, tile, 0, NR, true);
                    for (int r = 0; r < mr; r++) {
                        int ci = cIdx + r * ldc, ti = r * NR;
                        if (store) {
                            System.arraycopy(tile, ti, c, ci, nr);
                        } else {
                            for (int j = 0; j < nr; j++) {
                                c[ci + j] += tile[ti + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /** C row := beta * C row, where beta == 0 writes zeros (ignoring NaN/Inf already there). */
    static void scaleRow(float[] c, int off, int n, float beta) {
        if (beta == 0f) {
            Arrays.fill(c, off, off + n, 0f);
        } else if (beta != 1f) {
            for (int j = 0; j < n; j++) {
                c[off + j] *= beta;
            }
        }
    }

    private static int evenBlock(int total, int max, int multiple) {
        if (total <= max) {
            return total;
        }
        int blocks = (total + max - 1) / max;
        return roundUp((total + blocks - 1) / blocks, multiple);
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    private static void check(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative size m=" + m + " n=" + n + " k=" + k);
        }
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        extent("A", a, aOff, lda, aRows, aCols);
        extent("B", b, bOff, ldb, bRows, bCols);
        extent("C", c, cOff, ldc, m, n);
    }

    private static void extent(String name, float[] x, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (ld < cols) {
            throw new IllegalArgumentException(name + ": leading dimension " + ld + " < " + cols);
        }
        long lastIdx = off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || lastIdx >= x.length) {
            throw new IllegalArgumentException(name + ": " + rows + "x" + cols + " (ld " + ld + ") at offset "
                    + off + " exceeds array length " + x.length);
        }
    }
}

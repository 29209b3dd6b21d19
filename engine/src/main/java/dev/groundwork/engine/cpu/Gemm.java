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
 * {@link GemmMicroKernel}. Threads split the larger of M and N; each runs the whole blocked loop on
 * its part with its own packing buffers, so there is no synchronisation inside a GEMM.
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
    /** Minimum multiply-adds per thread chunk; below this, forking costs more than it saves. */
    private static final long MIN_TASK_MNK = 1L << 20;

    private static final class Buffers {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Gemm() {}

    /** Row-major SGEMM; see the class comment. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        run(true, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
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
                    run(false, transA, transB, m, n, k, alpha, a, aOff + i * aStride, lda,
                            b, bOff + i * bStride, ldb, beta, c, cOff + i * cStride, ldc);
                }
            });
        } else {
            for (int i = 0; i < batch; i++) {
                run(true, transA, transB, m, n, k, alpha, a, aOff + i * aStride, lda,
                        b, bOff + i * bStride, ldb, beta, c, cOff + i * cStride, ldc);
            }
        }
    }

    private static void run(boolean parallel, boolean transA, boolean transB, int m, int n, int k,
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
        if (!parallel) {
            blocked(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // Split the larger dimension in whole micro-tiles so no tile straddles two threads.
        if (m >= n) {
            int tiles = (m + MR - 1) / MR;
            int grain = (int) Math.max(1, MIN_TASK_MNK / ((long) MR * n * k));
            CpuThreads.parallelFor(0, tiles, grain, (t0, t1) -> blocked(transA, transB,
                    t0 * MR, Math.min(m, t1 * MR), 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
        } else {
            int tiles = (n + NR - 1) / NR;
            int grain = (int) Math.max(1, MIN_TASK_MNK / ((long) NR * m * k));
            CpuThreads.parallelFor(0, tiles, grain, (t0, t1) -> blocked(transA, transB,
                    0, m, t0 * NR, Math.min(n, t1 * NR), k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
        }
    }

    /** The blocked loop nest over C[m0:m1, n0:n1], single-threaded. */
    private static void blocked(boolean transA, boolean transB, int m0, int m1, int n0, int n1, int k,
                                float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        // Even block sizes (e.g. k=300 -> 150+150, not 256+44) keep every block worth its packing.
        int kcMax = evenBlock(k, KC, 1);
        int mcMax = evenBlock(m1 - m0, MC, MR);
        int ncMax = evenBlock(n1 - n0, NC, NR);
        Buffers buf = BUFFERS.get();
        int aNeed = roundUp(mcMax, MR) * kcMax;
        int bNeed = roundUp(ncMax, NR) * kcMax;
        if (buf.a.length < aNeed) {
            buf.a = new float[aNeed];
        }
        if (buf.b.length < bNeed) {
            buf.b = new float[bNeed];
        }
        float[] ap = buf.a, bp = buf.b;
        // beta is applied once here (one cheap pass over this thread's part of C); every K slice
        // then accumulates, so the micro-kernel has a single store form.
        for (int i = m0; i < m1; i++) {
            scaleRow(c, cOff + i * ldc + n0, n1 - n0, beta);
        }
        for (int jc = n0; jc < n1; jc += ncMax) {
            int nc = Math.min(ncMax, n1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                GemmPack.packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp);
                for (int ic = m0; ic < m1; ic += mcMax) {
                    int mc = Math.min(mcMax, m1 - ic);
                    GemmPack.packA(transA, a, aOff, lda, ic, mc, pc, kc, alpha, ap);
                    macro(mc, nc, kc, ap, bp, c, cOff + ic * ldc + jc, ldc, buf.tile);
                }
            }
        }
    }

    /** Sweeps the micro-tiles of one packed (A block, B block) pair. */
    private static void macro(int mc, int nc, int kc, float[] ap, float[] bp,
                              float[] c, int cBase, int ldc, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bIdx = jr * kc; // panel jr/NR starts at (jr/NR)*NR*kc
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int aIdx = ir * kc;
                int cIdx = cBase + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    GemmMicroKernel.kernel(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc);
                } else {
                    // Ragged edge: full tile into zeroed scratch (padding is zero), add the valid part.
                    Arrays.fill(tile, 0f);
                    GemmMicroKernel.kernel(kc, ap, aIdx, bp, bIdx, tile, 0, NR);
                    for (int r = 0; r < mr; r++) {
                        int ci = cIdx + r * ldc, ti = r * NR;
                        for (int j = 0; j < nr; j++) {
                            c[ci + j] += tile[ti + j];
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

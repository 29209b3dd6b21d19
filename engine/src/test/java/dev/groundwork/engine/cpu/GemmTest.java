package dev.groundwork.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GemmTest {

    private static final int[] SIZES = {1, 2, 5, 6, 7, 17, 33, 65, 130};

    /** Uniform in [-1, -0.05] U [0.05, 1]: random, never zero. */
    static float[] random(SplittableRandom rng, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            float v = (float) rng.nextDouble(0.05, 1.0);
            x[i] = rng.nextBoolean() ? v : -v;
        }
        return x;
    }

    /** Reference: double-accumulated triple loop with the same BLAS semantics. */
    static double[] reference(boolean tA, boolean tB, int m, int n, int k, float alpha, float[] a, int aOff,
                              int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        double[] r = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = tA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = tB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                double prev = beta == 0f ? 0 : (double) beta * c[cOff + i * ldc + j];
                r[i * n + j] = alpha * s + prev;
            }
        }
        return r;
    }

    /** Runs one case with padded leading dimensions and offsets, checks C and the untouched padding. */
    static void check(SplittableRandom rng, boolean tA, boolean tB, int m, int n, int k, float alpha, float beta) {
        int aRows = tA ? k : m, aCols = tA ? m : k;
        int bRows = tB ? n : k, bCols = tB ? k : n;
        int lda = aCols + rng.nextInt(3), ldb = bCols + rng.nextInt(3), ldc = n + rng.nextInt(3);
        int aOff = rng.nextInt(4), bOff = rng.nextInt(4), cOff = rng.nextInt(4);
        float[] a = random(rng, aOff + Math.max(1, aRows * lda));
        float[] b = random(rng, bOff + Math.max(1, bRows * ldb));
        float[] c = random(rng, cOff + m * ldc + 3);
        if (beta == 0f) {
            // beta == 0 must ignore whatever C held (a reused output buffer is dirty): every element NaN, so
            // one that no K slice stores into fails below.
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
            }
        }
        float[] before = c.clone();
        double[] want = reference(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        Gemm.sgemm(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        String what = "tA=" + tA + " tB=" + tB + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha + " beta=" + beta;
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - cOff;
            int i = rel >= 0 ? rel / ldc : -1, j = rel >= 0 ? rel % ldc : -1;
            if (i >= 0 && i < m && j < n) {
                double w = want[i * n + j];
                double tol = 1e-5 * (Math.abs(alpha) * k + Math.abs(beta)) + 1e-6;
                if (!(Math.abs(c[idx] - w) <= tol)) {
                    fail(what + " at " + idx + ": got " + c[idx] + " want " + w);
                }
            } else {
                assertEquals(before[idx], c[idx], 0f, what + ": wrote outside C at " + idx);
            }
        }
    }

    @Test
    void allTransposesManySizes() {
        SplittableRandom rng = new SplittableRandom(42);
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                for (int m : SIZES) {
                    for (int n : SIZES) {
                        int k = SIZES[rng.nextInt(SIZES.length)];
                        check(rng, tA, tB, m, n, k, 1f, 0f);
                    }
                }
            }
        }
    }

    @Test
    void alphaBetaAndZeroK() {
        SplittableRandom rng = new SplittableRandom(7);
        float[][] ab = {{1f, 1f}, {0.5f, -1.5f}, {-2f, 0f}, {1.25f, 0.75f}, {0f, 2f}};
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                for (float[] p : ab) {
                    check(rng, tA, tB, 65, 33, 130, p[0], p[1]);
                    check(rng, tA, tB, 17, 130, 0, p[0], p[1]);
                    check(rng, tA, tB, 1, 65, 33, p[0], p[1]);
                    check(rng, tA, tB, 130, 1, 17, p[0], p[1]);
                }
            }
        }
    }

    /**
     * The unpacked small path at the shapes that made it slow before: attention heads (T x T x 16),
     * 1x1 convolutions over a 3x3 grid (64 x 64 x 9, 64 x 9 x 64), both output orientations, tails
     * shorter than a vector, and four-row groups with a remainder.
     */
    @Test
    void smallPathShapes() {
        SplittableRandom rng = new SplittableRandom(11);
        int[][] shapes = {{24, 24, 16}, {64, 64, 9}, {64, 9, 64}, {9, 9, 16}, {9, 64, 64}, {2, 3, 5}, {3, 2, 7},
                {5, 47, 13}, {47, 5, 13}, {17, 16, 1}, {33, 31, 48}};
        float[][] ab = {{1f, 0f}, {0.5f, 1f}, {-1.5f, 0.25f}};
        for (int[] s : shapes) {
            for (boolean tA : new boolean[] {false, true}) {
                for (boolean tB : new boolean[] {false, true}) {
                    for (float[] p : ab) check(rng, tA, tB, s[0], s[1], s[2], p[0], p[1]);
                }
            }
        }
    }

    /** Sizes that cross the KC / MC / NR block boundaries and engage the threaded path. */
    @Test
    void blockedAndThreadedSizes() {
        SplittableRandom rng = new SplittableRandom(3);
        int[][] shapes = {{367, 95, 300}, {61, 403, 513}, {200, 200, 257}, {725, 70, 40}, {7, 4200, 40}};
        for (int[] s : shapes) {
            for (boolean tA : new boolean[] {false, true}) {
                for (boolean tB : new boolean[] {false, true}) {
                    check(rng, tA, tB, s[0], s[1], s[2], 0.75f, rng.nextBoolean() ? 0f : 0.5f);
                }
            }
        }
    }

    @Test
    void batchedWithBroadcast() {
        SplittableRandom rng = new SplittableRandom(11);
        int batch = 5, m = 19, n = 37, k = 23;
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                int lda = tA ? m : k, ldb = tB ? k : n;
                float[] a = random(rng, batch * m * k);
                float[] b = random(rng, k * n); // broadcast: bStride = 0
                float[] c = random(rng, 2 + batch * m * n);
                float[] c0 = c.clone();
                Gemm.sgemmBatched(tA, tB, batch, m, n, k, 1.5f, a, 0, lda, m * k, b, 0, ldb, 0,
                        0.5f, c, 2, n, m * n);
                for (int bi = 0; bi < batch; bi++) {
                    double[] want = reference(tA, tB, m, n, k, 1.5f, a, bi * m * k, lda, b, 0, ldb,
                            0.5f, c0, 2 + bi * m * n, n);
                    for (int i = 0; i < m * n; i++) {
                        assertEquals(want[i], c[2 + bi * m * n + i], 1e-4 * k, "batch " + bi + " elem " + i);
                    }
                }
            }
        }
    }

    /** Per-batch parallelism with the packed (blocked) GEMM running nested inside each task. */
    @Test
    void batchedBlockedNested() {
        SplittableRandom rng = new SplittableRandom(12);
        int batch = 3, m = 50, n = 60, k = 70;
        float[] a = random(rng, batch * m * k), b = random(rng, batch * k * n), c = random(rng, batch * m * n);
        Gemm.sgemmBatched(false, true, batch, m, n, k, 1f, a, 0, k, m * k, b, 0, k, k * n, 0f, c, 0, n, m * n);
        for (int bi = 0; bi < batch; bi++) {
            double[] want = reference(false, true, m, n, k, 1f, a, bi * m * k, k, b, bi * k * n, k, 0f, c, bi * m * n, n);
            for (int i = 0; i < m * n; i++) {
                assertEquals(want[i], c[bi * m * n + i], 1e-4 * k, "batch " + bi + " elem " + i);
            }
        }
    }

    @Test
    void rejectsBadExtents() {
        float[] x = new float[10];
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 4, 4, 4, 1f, x, 0, 4, x, 0, 4, 0f, x, 0, 4));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, x, 0, 1, x, 0, 2, 0f, x, 0, 2));
    }
}

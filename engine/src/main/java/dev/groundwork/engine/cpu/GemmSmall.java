package dev.groundwork.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM for tiny problems (m·n·k up to {@link Gemm#SMALL_MNK}), where the blocked path's panel packing
 * and cache blocking cost more than the multiply. Single-threaded: at this size a fork/join round
 * trip costs more than the work.
 *
 * <p>The output is computed along its longer side, vectorised: rows of C = op(A)·op(B) when n ≥ m,
 * else rows of Cᵀ = op(B)ᵀ·op(A)ᵀ. The operand that feeds the vectors is first copied into a
 * thread-local, zero-padded [k × L·⌈len/L⌉] panel, so every load is a full vector whatever the
 * transposes and no scalar tail is left. Four output rows share each panel load; per element the
 * products are summed in p order by fused multiply-adds, so the bits depend on the shape only.
 * (The form it replaces vectorised along k for NT problems: with k ≤ 16, as in attention heads and
 * 1×1 convolutions over a 3×3 grid, it ran at 0.5–1 GFLOP/s.)
 *
 * <p>GEMV shapes (m = 1 or n = 1), which can be large, skip the copy: {@link #gemv}.
 */
final class GemmSmall {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Output rows per pass over the panel: four independent FMA chains hide the FMA latency. */
    private static final int ROWS = 4;

    private static final class Scratch {
        float[] panel = new float[0];
        final float[] lanes = new float[ROWS * L];

        float[] panel(int need) {
            if (panel.length < need) panel = new float[need];
            return panel;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private GemmSmall() {}

    static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
        if (m == 1 || n == 1) {
            gemv(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // Element strides: op(A)[i][p] = a[aOff + i*aI + p*aP], op(B)[p][j] = b[bOff + p*bP + j*bJ].
        int aI = transA ? 1 : lda, aP = transA ? lda : 1;
        int bP = transB ? 1 : ldb, bJ = transB ? ldb : 1;
        if (n >= m) {
            // rows i of C: coefficients op(A)[i][p], panel op(B)[p][j], C[i][j] at i*ldc + j
            kernel(m, n, k, alpha, a, aOff, aI, aP, b, bOff, bP, bJ, beta, c, cOff, ldc, 1);
        } else {
            // rows j of Cᵀ: coefficients op(B)[p][j] (= op(B)ᵀ[j][p]), panel op(A)[i][p] over (p, i)
            kernel(n, m, k, alpha, b, bOff, bJ, bP, a, aOff, aP, aI, beta, c, cOff, 1, ldc);
        }
    }

    /**
     * out[r][q] = alpha · Σ_p x[r][p] · y[p][q] + beta · out[r][q], vectorised along q.
     * x[r][p] = xa[xo + r*xr + p*xp]; y[p][q] = ya[yo + p*yp + q*yq]; out[r][q] = c[co + r*cr + q*cq].
     */
    private static void kernel(int rows, int cols, int k, float alpha,
                               float[] xa, int xo, int xr, int xp,
                               float[] ya, int yo, int yp, int yq,
                               float beta, float[] c, int co, int cr, int cq) {
        Scratch s = SCRATCH.get();
        int blocks = (cols + L - 1) / L, width = blocks * L;
        float[] panel = s.panel(k * width);
        for (int p = 0; p < k; p++) {
            int row = p * width, src = yo + p * yp;
            for (int q = 0; q < cols; q++) panel[row + q] = ya[src + q * yq];
            for (int q = cols; q < width; q++) panel[row + q] = 0f;
        }
        float[] lanes = s.lanes;
        for (int r0 = 0; r0 < rows; r0 += ROWS) {
            int nr = Math.min(ROWS, rows - r0);
            int x0 = xo + r0 * xr, x1 = x0 + Math.min(1, nr - 1) * xr, x2 = x0 + Math.min(2, nr - 1) * xr,
                    x3 = x0 + Math.min(3, nr - 1) * xr;   // short groups repeat their last row; only nr are stored
            for (int blk = 0; blk < blocks; blk++) {
                FloatVector acc0 = FloatVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
                for (int p = 0, pp = blk * L, po = 0; p < k; p++, pp += width, po += xp) {
                    FloatVector yv = FloatVector.fromArray(S, panel, pp);
                    acc0 = FloatVector.broadcast(S, xa[x0 + po]).fma(yv, acc0);
                    acc1 = FloatVector.broadcast(S, xa[x1 + po]).fma(yv, acc1);
                    acc2 = FloatVector.broadcast(S, xa[x2 + po]).fma(yv, acc2);
                    acc3 = FloatVector.broadcast(S, xa[x3 + po]).fma(yv, acc3);
                }
                int q0 = blk * L, nq = Math.min(L, cols - q0);
                if (cq == 1 && nq == L) {   // a full block of a C row: straight vector stores
                    int out = co + r0 * cr + q0;
                    store(acc0, alpha, beta, c, out);
                    if (nr > 1) store(acc1, alpha, beta, c, out + cr);
                    if (nr > 2) store(acc2, alpha, beta, c, out + 2 * cr);
                    if (nr > 3) store(acc3, alpha, beta, c, out + 3 * cr);
                    continue;
                }
                acc0.intoArray(lanes, 0);
                acc1.intoArray(lanes, L);
                acc2.intoArray(lanes, 2 * L);
                acc3.intoArray(lanes, 3 * L);
                for (int r = 0; r < nr; r++) {
                    int out = co + (r0 + r) * cr + q0 * cq;
                    for (int q = 0; q < nq; q++, out += cq) {
                        float v = alpha * lanes[r * L + q];
                        c[out] = beta == 0f ? v : v + beta * c[out];
                    }
                }
            }
        }
    }

    private static void store(FloatVector acc, float alpha, float beta, float[] c, int at) {
        FloatVector v = acc.mul(alpha);
        (beta == 0f ? v : v.add(FloatVector.fromArray(S, c, at).mul(beta))).intoArray(c, at);
    }

    /** m = 1 or n = 1: one dot product per output element, or one axpy per k, with no copy. */
    private static void gemv(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (!transB) {
            rowAxpy(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (!transA) {
            rowDot(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            scalar(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** B rows are contiguous: C[i,:] = beta C[i,:] + sum_p (alpha A[i,p]) B[p,:]. */
    private static void rowAxpy(boolean transA, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        int vn = S.loopBound(n);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            Gemm.scaleRow(c, ci, n, beta);
            for (int p = 0; p < k; p++) {
                float s = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                int bp = bOff + p * ldb;
                FloatVector sv = FloatVector.broadcast(S, s);
                int j = 0;
                for (; j < vn; j += L) {
                    sv.fma(FloatVector.fromArray(S, b, bp + j), FloatVector.fromArray(S, c, ci + j))
                            .intoArray(c, ci + j);
                }
                for (; j < n; j++) {
                    c[ci + j] += s * b[bp + j];
                }
            }
        }
    }

    /** A rows and B^T rows are both contiguous in p: each C element is one dot product. */
    private static void rowDot(int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc) {
        int vk = S.loopBound(k);
        float[] lanes = SCRATCH.get().lanes;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * ldb;
                float s = 0f;
                int p = 0;
                if (vk > 0) {
                    FloatVector acc = FloatVector.zero(S);
                    for (; p < vk; p += L) {
                        acc = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), acc);
                    }
                    acc.intoArray(lanes, 0);   // lanes summed in a fixed order: same bits compiled or interpreted
                    for (int l = 0; l < L; l++) s += lanes[l];
                }
                for (; p < k; p++) {
                    s += a[ai + p] * b[bj + p];
                }
                int idx = cOff + i * ldc + j;
                c[idx] = beta == 0f ? alpha * s : alpha * s + beta * c[idx];
            }
        }
    }

    private static void scalar(int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += a[aOff + p * lda + i] * b[bOff + j * ldb + p];
                }
                int idx = cOff + i * ldc + j;
                c[idx] = beta == 0f ? alpha * s : alpha * s + beta * c[idx];
            }
        }
    }
}

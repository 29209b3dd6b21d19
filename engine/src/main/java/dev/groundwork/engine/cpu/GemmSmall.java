package dev.groundwork.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Unpacked GEMM for tiny problems (and single rows/columns), where copying A and B into panels
 * would cost as much as the multiply itself. Single-threaded: at this size a fork/join round trip
 * costs more than the work. Vectorised along whichever dimension is contiguous.
 */
final class GemmSmall {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private GemmSmall() {}

    static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
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
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * ldb;
                FloatVector acc = FloatVector.zero(S);
                int p = 0;
                for (; p < vk; p += L) {
                    acc = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), acc);
                }
                float s = VectorMath.sumLanes(acc);  // fixed order: same bits compiled or interpreted
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

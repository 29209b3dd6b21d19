package dev.groundwork.engine.cpu;

/** Placeholder replaced by the GEMM branch. */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                float acc = 0;
                for (int p = 0; p < k; p++)
                    acc += a[aOff + (transA ? p * lda + i : i * lda + p)] * b[bOff + (transB ? j * ldb + p : p * ldb + j)];
                c[cOff + i * ldc + j] = alpha * acc + (beta == 0 ? 0 : beta * c[cOff + i * ldc + j]);
            }
    }
}

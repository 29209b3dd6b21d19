package dev.groundwork.kernels.ops;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

/** What the attention kernel tests compare with, besides the engine's Attention: masks and the log-sum-exp. */
final class AttentionReference {
    private AttentionReference() {}

    /** [b, tk] mask of ones with batch row i keeping only its first keep[i] keys. */
    static Tensor keepFirst(int b, int tk, int[] keep) {
        float[] m = new float[b * tk];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < keep[i]; j++) m[i * tk + j] = 1;
        return Tensor.of(m, b, tk);
    }

    /** log Σ_j exp(S_ij) of S = q kᵀ/√d + (1 − mask)·maskValue, per row, in float64 on the CPU. */
    static Tensor logSumExp(Tensor q, Tensor k, Tensor mask, double maskValue) {
        int b = q.size(0), h = q.size(1), tq = q.size(2), d = q.size(3), tk = k.size(2);
        double[] s;
        try (var ng = GradMode.noGrad()) {
            s = q.to(DType.F64).matmul(k.to(DType.F64).mT()).mul(1 / Math.sqrt(d)).toDoubleArray();
        }
        double[] m = mask == null ? null : mask.toDoubleArray();
        double[] lse = new double[b * h * tq];
        for (int row = 0; row < lse.length; row++) {
            int bi = row / (h * tq);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < tk; j++) {
                s[row * tk + j] += m == null ? 0 : (1 - m[bi * tk + j]) * maskValue;
                max = Math.max(max, s[row * tk + j]);
            }
            double sum = 0;
            for (int j = 0; j < tk; j++) sum += Math.exp(s[row * tk + j] - max);
            lse[row] = max + Math.log(sum);
        }
        return Tensor.of(lse, b, h, tq);
    }
}

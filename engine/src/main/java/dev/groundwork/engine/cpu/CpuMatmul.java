package dev.groundwork.engine.cpu;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Batched matmul over strided operands. A transposed view becomes a GEMM transpose flag; only an
 * operand with no unit stride in its last two dims is copied. A batch against one shared right
 * matrix (the linear layer) folds into a single tall GEMM.
 */
final class CpuMatmul {
    private CpuMatmul() {}

    /** How GEMM addresses one operand: transposed or not, with which leading dimension. */
    private record Layout(Tensor t, boolean trans, int ld) {
        static Layout of(Tensor t) {
            int r = t.dim();
            int rows = t.size(r - 2), cols = t.size(r - 1);
            int sr = t.stride(r - 2), sc = t.stride(r - 1);
            if ((cols == 1 || sc == 1) && (rows == 1 || sr >= Math.max(1, cols)))
                return new Layout(t, false, rows == 1 ? Math.max(1, cols) : sr);
            if ((rows == 1 || sr == 1) && (cols == 1 || sc >= Math.max(1, rows)))
                return new Layout(t, true, cols == 1 ? Math.max(1, rows) : sc);
            Tensor c = t.contiguous();
            return new Layout(c, false, Math.max(1, cols));
        }
    }

    static void matmul(Tensor a0, Tensor b0, Tensor out) {
        int r = out.dim();
        int m = out.size(r - 2), n = out.size(r - 1), k = a0.size(r - 1);
        if (m == 0 || n == 0) return;
        Layout la = Layout.of(a0), lb = Layout.of(b0);
        Tensor a = la.t(), b = lb.t();
        int batch = out.numel() / (m * n);
        CpuStorage as = CpuBackend.cpu(a), bs = CpuBackend.cpu(b), os = CpuBackend.cpu(out);
        boolean f32 = out.dtype() == DType.F32;

        if (batch > 1 && !la.trans() && allBatchStridesZero(b) && foldable(a, m, la.ld())) {
            // [batch*M, K] x [K, N]: rows of a are evenly spaced by lda across the batch.
            gemm(f32, false, lb.trans(), batch * m, n, k, as, a.offset(), la.ld(), bs, b.offset(), lb.ld(), os, out.offset(), n);
            return;
        }
        int[] batchShape = new int[r - 2];
        System.arraycopy(out.shape(), 0, batchShape, 0, r - 2);
        int[] aOff = batchOffsets(a, batchShape, batch), bOff = batchOffsets(b, batchShape, batch);
        CpuThreads.IntRangeBody body = (from, to) -> {
            for (int i = from; i < to; i++)
                gemm(f32, la.trans(), lb.trans(), m, n, k, as, a.offset() + aOff[i], la.ld(), bs, b.offset() + bOff[i], lb.ld(),
                        os, out.offset() + i * m * n, n);
        };
        if (batch >= CpuThreads.threads() && (long) m * n * k < (1L << 18)) {
            // Many small products (attention heads): one product per task, each GEMM then runs inline.
            CpuThreads.parallelFor(0, batch, 1, body);
        } else {
            body.run(0, batch);
        }
    }

    private static boolean allBatchStridesZero(Tensor t) {
        for (int d = 0; d < t.dim() - 2; d++) if (t.stride(d) != 0 && t.size(d) != 1) return false;
        return true;
    }

    /** Whether the batch dims of a step by exactly m rows of lda, so batches are consecutive rows. */
    private static boolean foldable(Tensor a, int m, int lda) {
        int expected = m * lda;
        for (int d = a.dim() - 3; d >= 0; d--) {
            if (a.size(d) == 1) continue;
            if (a.stride(d) != expected) return false;
            expected *= a.size(d);
        }
        return true;
    }

    private static int[] batchOffsets(Tensor t, int[] batchShape, int batch) {
        int[] offs = new int[batch];
        int[] idx = new int[batchShape.length];
        for (int i = 0; i < batch; i++) {
            int o = 0;
            for (int d = 0; d < batchShape.length; d++) o += idx[d] * t.stride(d);
            offs[i] = o;
            for (int d = batchShape.length - 1; d >= 0; d--) {
                if (++idx[d] < batchShape[d]) break;
                idx[d] = 0;
            }
        }
        return offs;
    }

    private static void gemm(boolean f32, boolean transA, boolean transB, int m, int n, int k,
                             CpuStorage a, int aOff, int lda, CpuStorage b, int bOff, int ldb,
                             CpuStorage c, int cOff, int ldc) {
        if (f32) {
            Gemm.sgemm(transA, transB, m, n, k, 1f, a.f32(), aOff, lda, b.f32(), bOff, ldb, 0f, c.f32(), cOff, ldc);
            return;
        }
        // Reference path (float64 gradient checks): plain triple loop.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double x = a.get(aOff + (transA ? p * lda + i : i * lda + p));
                    double y = b.get(bOff + (transB ? j * ldb + p : p * ldb + j));
                    acc += x * y;
                }
                c.set(cOff + i * ldc + j, acc);
            }
        }
    }
}

package dev.groundwork.kernels.backend;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.blas.Cublas;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;

/**
 * Matrix products through cuBLAS (no .cu of ours): the engine's batched matmul, and bf16 GEMMs on
 * raw buffers for the autocast comparisons. Batched matmul: Row-major out = a·b is column-major outᵀ = bᵀ·aᵀ, so cuBLAS gets
 * (b, a) with m = N, n = M. A transposed view (unit stride on dim -2 instead of -1) becomes the
 * OP_T flag with the leading dimension taken from the other stride: no copy. Batch dims must reduce
 * to one stride per operand (0 for a broadcast operand); other layouts are copied first.
 */
public final class CublasMatmul {
    private CublasMatmul() {}

    /** How one operand is handed to cuBLAS. */
    private record Operand(Tensor t, int op, int ld, long batchStride) {}

    static void matmul(CudaBackend be, Tensor a, Tensor b, Tensor out) {
        if (a.dtype() != DType.F32 || b.dtype() != DType.F32 || out.dtype() != DType.F32)
            throw new IllegalArgumentException("CUDA matmul computes float32; got " + a.dtype() + " x " + b.dtype() + " -> " + out.dtype()
                    + " (float64 is for CPU gradient checks)");
        int r = out.dim();
        int m = out.size(r - 2), n = out.size(r - 1), k = a.size(r - 1);
        if (out.numel() == 0) return;
        int batch = out.numel() / (m * n);
        if (k == 0) { be.fill(out, 0); return; }
        Tensor od = be.dense(out);
        Operand pa = null, pb = null;
        try {
            pa = operand(be, a, batch);
            pb = operand(be, b, batch);
            int compute = be.tf32() ? Cublas.COMPUTE_32F_FAST_TF32 : Cublas.COMPUTE_32F;
            // column-major: C (n x m, ldc = n) = op(B) (n x k) * op(A) (k x m)
            be.cublas().gemm(pb.op(), pa.op(), n, m, k, 1f,
                    addr(pb.t()), Cublas.R_32F, pb.ld(), pb.batchStride(),
                    addr(pa.t()), Cublas.R_32F, pa.ld(), pa.batchStride(),
                    0f, addr(od), Cublas.R_32F, n, (long) m * n, batch, compute);
            if (od != out) be.copy(od, out);
        } finally {
            closeIfCopy(od, out);
            if (pa != null) closeIfCopy(pa.t(), a);
            if (pb != null) closeIfCopy(pb.t(), b);
        }
    }

    /**
     * A row-major [.., R, C] matrix with unit column stride is, to column-major cuBLAS, the C x R
     * matrix (its transpose) with ld = row stride: op N. With unit row stride it is the transpose of
     * a column-major R x C matrix with ld = column stride: op T.
     */
    private static Operand operand(CudaBackend be, Tensor t, int batch) {
        int r = t.dim();
        int rows = t.size(r - 2), cols = t.size(r - 1);
        long[] bs = batchStride(t);
        if (bs != null) {
            int sr = t.stride(r - 2), sc = t.stride(r - 1);
            if ((sc == 1 || cols == 1) && sr >= Math.max(1, cols)) return new Operand(t, Cublas.OP_N, Math.max(sr, Math.max(1, cols)), bs[0]);
            if ((sr == 1 || rows == 1) && sc >= Math.max(1, rows)) return new Operand(t, Cublas.OP_T, Math.max(sc, Math.max(1, rows)), bs[0]);
        }
        Tensor c = be.empty(t.dtype(), t.shape());
        be.copy(t, c);
        return new Operand(c, Cublas.OP_N, Math.max(1, cols), batch == 1 ? 0 : (long) rows * cols);
    }

    /** The single element stride between consecutive matrices over all batch dims, or null. */
    private static long[] batchStride(Tensor t) {
        int r = t.dim();
        if (r == 2) return new long[]{0};
        long stride = -1;
        long expectNext = -1;
        // Walk batch dims from innermost out; all must step by a consistent stride (or be size 1 / broadcast 0).
        boolean allZero = true;
        for (int d = r - 3; d >= 0; d--) {
            if (t.size(d) == 1) continue;
            long s = t.stride(d);
            if (s != 0) allZero = false;
            if (stride < 0) {
                stride = s;
                expectNext = s * t.size(d);
            } else {
                if (s != expectNext) return null;
                expectNext = s * t.size(d);
            }
        }
        if (stride < 0 || allZero) return new long[]{0};
        return new long[]{stride};
    }

    /**
     * Row-major out[M,N] = a[M,K] · b[K,N] with bf16 inputs (raw buffers from {@code Bf16Kernels.toBf16})
     * and fp32 accumulation and output.
     */
    public static void gemmBf16(CudaBackend be, DeviceBuffer a, DeviceBuffer b, Tensor out, int m, int n, int k) {
        requireContiguousF32("gemm_bf16", out);
        be.cublas().gemm(Cublas.OP_N, Cublas.OP_N, n, m, k, 1f, b.address(), Cublas.R_16BF, n, 0, a.address(), Cublas.R_16BF, k, 0,
                0f, addr(out), Cublas.R_32F, n, 0, 1, Cublas.COMPUTE_32F);
    }

    /** As {@link #gemmBf16} but the output rounded to bf16 too (what autocast matmul produces). */
    public static void gemmBf16Out(CudaBackend be, DeviceBuffer a, DeviceBuffer b, DeviceBuffer out, int m, int n, int k) {
        be.cublas().gemm(Cublas.OP_N, Cublas.OP_N, n, m, k, 1f, b.address(), Cublas.R_16BF, n, 0, a.address(), Cublas.R_16BF, k, 0,
                0f, out.address(), Cublas.R_16BF, n, 0, 1, Cublas.COMPUTE_32F);
    }
}

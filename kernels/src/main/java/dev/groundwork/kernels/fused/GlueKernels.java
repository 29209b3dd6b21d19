package dev.groundwork.kernels.fused;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.blas.Cublas;
import dev.groundwork.kernels.cuda.KernelArgs;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static dev.groundwork.kernels.backend.CudaBackend.addr;

/**
 * Host side of the fused glue kernels (bias_gelu.cu, add_dropout.cu, cross_entropy.cu,
 * optimizer.cu, sq_norm.cu, bf16.cu). Each takes contiguous CUDA float32 tensors and writes its
 * outputs in place; the tests check each against the op-by-op composition on the CPU backend.
 */
public final class GlueKernels {
    private GlueKernels() {}

    private static void contiguousF32(String op, Tensor... ts) {
        for (Tensor t : ts) {
            if (t == null) continue;
            if (t.dtype() != DType.F32) throw new IllegalArgumentException(op + ": expects F32 tensors, got " + t.dtype());
            if (!t.isContiguous()) throw new IllegalArgumentException(op + ": expects contiguous tensors");
        }
    }

    /** y = gelu(x + b), x [rows, D], b [D]. */
    public static void biasGelu(CudaBackend be, Tensor x, Tensor b, Tensor y) {
        contiguousF32("bias_gelu", x, b, y);
        int d = b.numel();
        be.launcher().elementwise("bias_gelu", "gw_bias_gelu_f32", x.numel(),
                new KernelArgs().ptr(addr(x)).ptr(addr(b)).ptr(addr(y)).i64(x.numel()).i32(d));
    }

    /** dx = g * gelu'(x + b). */
    public static void biasGeluBackward(CudaBackend be, Tensor g, Tensor x, Tensor b, Tensor dx) {
        contiguousF32("bias_gelu backward", g, x, b, dx);
        be.launcher().elementwise("bias_gelu", "gw_bias_gelu_bwd_f32", x.numel(),
                new KernelArgs().ptr(addr(g)).ptr(addr(x)).ptr(addr(b)).ptr(addr(dx)).i64(x.numel()).i32(b.numel()));
    }

    /** y = residual + dropout(x), the mask drawn as Backend.random(BERNOULLI, keep, seed, offset). */
    public static void addDropout(CudaBackend be, Tensor x, Tensor residual, Tensor y, double keep, long seed, long offset) {
        contiguousF32("add_dropout", x, residual, y);
        be.launcher().elementwise("add_dropout", "gw_add_dropout_f32", x.numel(),
                new KernelArgs().ptr(addr(x)).ptr(addr(residual)).ptr(addr(y)).i64(x.numel()).f64(keep).i64(seed).i64(offset));
    }

    /** dx = mask * g / keep, the mask regenerated from (seed, offset). */
    public static void dropoutBackward(CudaBackend be, Tensor g, Tensor dx, double keep, long seed, long offset) {
        contiguousF32("dropout backward", g, dx);
        be.launcher().elementwise("add_dropout", "gw_dropout_bwd_f32", g.numel(),
                new KernelArgs().ptr(addr(g)).ptr(addr(dx)).i64(g.numel()).f64(keep).i64(seed).i64(offset));
    }

    /**
     * Per-row loss [N] and, when dx is not null, the gradient of the mean loss over kept rows, from
     * logits [N, C] and I64 targets [N] in one pass. Returns the number of kept rows.
     */
    public static int crossEntropy(CudaBackend be, Tensor logits, Tensor target, long ignoreIndex, Tensor loss, Tensor dx) {
        contiguousF32("cross_entropy", logits, loss, dx);
        if (target.dtype() != DType.I64) throw new IllegalArgumentException("cross_entropy: target must be I64, got " + target.dtype());
        long[] t = target.toLongArray();
        int kept = 0, c = logits.size(1);
        for (long v : t) {
            if (v == ignoreIndex) continue;
            if (v < 0 || v >= c) throw new IndexOutOfBoundsException("cross_entropy: target " + v + " out of range [0, " + c + ")");
            kept++;
        }
        int rows = logits.size(0);
        be.launcher().launch("cross_entropy", "gw_cross_entropy_f32", rows, 1, 1, Math.min(1024, Math.max(32, Integer.highestOneBit(Math.max(1, c - 1)) * 2)), 1, 1, 0,
                new KernelArgs().ptr(addr(logits)).ptr(addr(target)).ptr(addr(loss)).ptr(dx == null ? 0 : addr(dx))
                        .i32(c).i64(ignoreIndex).f32(kept == 0 ? 0f : 1f / kept));
        return kept;
    }

    /** One SGD step in place (PyTorch semantics; buf may be null when momentum is 0). */
    public static void sgd(CudaBackend be, Tensor p, Tensor g, Tensor buf, double lr, double momentum, double dampening,
                           double weightDecay, boolean nesterov, boolean firstStep) {
        contiguousF32("sgd", p, g, buf);
        if (momentum != 0 && buf == null) throw new IllegalArgumentException("sgd: momentum needs a buffer");
        be.launcher().elementwise("optimizer", "gw_sgd_f32", p.numel(),
                new KernelArgs().ptr(addr(p)).ptr(addr(g)).ptr(buf == null ? 0 : addr(buf)).i64(p.numel()).f32((float) lr)
                        .f32((float) momentum).f32((float) dampening).f32((float) weightDecay).i32(nesterov ? 1 : 0).i32(firstStep ? 1 : 0));
    }

    /** One Adam (decoupled = false) or AdamW (decoupled = true) step in place at step t (1-based). */
    public static void adam(CudaBackend be, Tensor p, Tensor g, Tensor m, Tensor v, double lr, double beta1, double beta2,
                            double eps, double weightDecay, boolean decoupled, long step) {
        contiguousF32("adam", p, g, m, v);
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        be.launcher().elementwise("optimizer", "gw_adam_f32", p.numel(),
                new KernelArgs().ptr(addr(p)).ptr(addr(g)).ptr(addr(m)).ptr(addr(v)).i64(p.numel()).f32((float) lr).f32((float) beta1)
                        .f32((float) beta2).f32((float) eps).f32((float) weightDecay).i32(decoupled ? 1 : 0).f32((float) bc1).f32((float) bc2));
    }

    /** Σ x² over all tensors (gradient clipping's squared norm), deterministic, on the device. */
    public static double squaredNorm(CudaBackend be, Tensor... ts) {
        try (DeviceBuffer acc = be.scratch(4)) {
            boolean first = true;
            for (Tensor t : ts) {
                contiguousF32("squared_norm", t);
                long n = t.numel();
                if (n == 0) continue;
                int blocks = (int) Math.min(1024, (n + 255) / 256);
                try (DeviceBuffer partial = be.scratch(blocks * 4L)) {
                    be.launcher().launch("sq_norm", "gw_sq_norm_partial_f32", blocks, 1, 1, 256, 1, 1, 0,
                            new KernelArgs().ptr(addr(t)).i64(n).ptr(partial.address()));
                    be.launcher().launch("sq_norm", "gw_sum_f32", 1, 1, 1, 1024, 1, 1, 0,
                            new KernelArgs().ptr(partial.address()).i32(blocks).ptr(acc.address()).i32(first ? 0 : 1));
                }
                first = false;
            }
            if (first) return 0;
            float[] out = new float[1];
            be.context().staging().download(acc.address(), out, 4);
            return out[0];
        }
    }

    /** Rounds float32 to bfloat16 (nearest even) into a raw 2-byte-per-element device buffer. */
    public static DeviceBuffer toBf16(CudaBackend be, Tensor x) {
        contiguousF32("to_bf16", x);
        DeviceBuffer out = be.scratch(x.numel() * 2L);
        be.launcher().elementwise("bf16", "gw_f32_to_bf16", x.numel(), new KernelArgs().ptr(addr(x)).ptr(out.address()).i64(x.numel()));
        return out;
    }

    public static void fromBf16(CudaBackend be, DeviceBuffer x, Tensor out) {
        contiguousF32("from_bf16", out);
        be.launcher().elementwise("bf16", "gw_bf16_to_f32", out.numel(), new KernelArgs().ptr(x.address()).ptr(addr(out)).i64(out.numel()));
    }

    /**
     * Row-major out[M,N] = a[M,K] · b[K,N] with bf16 inputs (raw buffers from {@link #toBf16}) and
     * fp32 accumulation and output, through cuBLAS.
     */
    public static void gemmBf16(CudaBackend be, DeviceBuffer a, DeviceBuffer b, Tensor out, int m, int n, int k) {
        contiguousF32("gemm_bf16", out);
        be.cublas().gemm(Cublas.OP_N, Cublas.OP_N, n, m, k, 1f, b.address(), Cublas.R_16BF, n, 0, a.address(), Cublas.R_16BF, k, 0,
                0f, addr(out), Cublas.R_32F, n, 0, 1, Cublas.COMPUTE_32F);
    }

    /** As {@link #gemmBf16} but the output rounded to bf16 too (what autocast matmul produces). */
    public static void gemmBf16Out(CudaBackend be, DeviceBuffer a, DeviceBuffer b, DeviceBuffer out, int m, int n, int k) {
        be.cublas().gemm(Cublas.OP_N, Cublas.OP_N, n, m, k, 1f, b.address(), Cublas.R_16BF, n, 0, a.address(), Cublas.R_16BF, k, 0,
                0f, out.address(), Cublas.R_16BF, n, 0, 1, Cublas.COMPUTE_32F);
    }
}

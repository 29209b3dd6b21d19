package dev.groundwork.kernels.ops;

import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.ReduceOp;
import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.ops.Elementwise;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.ReleasingResult;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeAll;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of cross_entropy.cu: per-row loss and the gradient of the reduced loss in one pass, one
 * block per row; the engine's {@link Losses.CrossEntropyKernel} on CUDA ({@link #fused}), which keeps
 * that gradient for the backward and scales it there by the upstream gradient, on the device.
 */
public final class CrossEntropyKernels {
    private CrossEntropyKernels() {}

    static final String FILE = "cross_entropy";
    static final EntryPoint CROSS_ENTROPY = EntryPoint.of(FILE, "gw_cross_entropy_f32", PTR, PTR, PTR, PTR, I32, I64, F32);

    /**
     * Per-row loss [N] (0 for ignored rows) and, when dx is not null, dx = (softmax - onehot) * scale
     * (0 for ignored rows), from logits [N, C] and I64 targets [N] in range, all contiguous.
     */
    public static void crossEntropy(CudaDevice dev, Tensor logits, Tensor target, long ignoreIndex, float scale, Tensor loss, Tensor dx) {
        requireContiguousF32("cross_entropy", logits, loss, dx);
        if (target.dtype() != DType.I64 || !target.isContiguous())
            throw new IllegalArgumentException("cross_entropy: target must be contiguous I64, got " + target.dtype());
        int rows = logits.size(0), c = logits.size(1);
        // A power of two covering C, 32 to 1024 threads.
        int threads = Math.min(1024, Math.max(32, Integer.highestOneBit(Math.max(1, c - 1)) * 2));
        dev.launcher().launch(CROSS_ENTROPY.args().ptr(addr(logits)).ptr(addr(target)).ptr(addr(loss)).ptr(dx == null ? 0 : addr(dx))
                .i32(c).i64(ignoreIndex).f32(scale), rows, 1, 1, threads, 1, 1, 0);
    }

    /** {@link Losses.CrossEntropyKernel} on dev: null (compose) unless float32 logits and I64 targets. */
    public static Losses.CrossEntropyKernel fused(CudaDevice dev) {
        return (logits, target, ignoreIndex, kept, reduction, forBackward) -> {
            if (logits.dtype() != DType.F32 || target.dtype() != DType.I64) return null;
            int n = logits.size(0);
            boolean mean = reduction == Losses.Reduction.MEAN;
            Tensor ld = dev.dense(logits), td = dev.dense(target), loss = null, sum = null, dx = null;
            try {
                loss = dev.empty(DType.F32, n);
                dx = forBackward ? dev.empty(DType.F32, logits.shape()) : null;
                crossEntropy(dev, ld, td, ignoreIndex, mean ? 1f / kept : 1f, loss, dx);
                sum = dev.empty(DType.F32, 1);
                dev.reduce(ReduceOp.SUM, loss, 0, sum, null);
                // As the composition: MEAN multiplies the sum by 1 / kept.
                if (mean) dev.unary(UnaryOp.MUL_SCALAR, sum, sum, 1.0 / kept, 0);
                Tensor out = sum.asStrided(new int[0], new int[0], 0);
                Tensor saved = dx;
                return ReleasingResult.of(out, g -> {
                    // dlogits = saved * g in place; the view handed out keeps the storage when the result releases saved.
                    dev.binary(BinaryOp.MUL, saved, Elementwise.broadcastView(g, saved.shape()), saved);
                    return new Tensor[]{saved.asStrided(saved.shape(), saved.strides(), 0), null};
                }, dx);
            } catch (RuntimeException | Error e) {
                closeAll(dx);
                throw e;
            } finally {
                closeAll(loss, sum);
                closeIfCopy(ld, logits);
                closeIfCopy(td, target);
            }
        };
    }
}

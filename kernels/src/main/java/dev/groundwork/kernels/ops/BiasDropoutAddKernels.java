package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.BiasDropoutAdd;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.ReleasingResult;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.allF32;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeAll;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of bias_dropout_add.cu: y = residual + dropout(x + b) and the dropout's gradient, the mask
 * regenerated from Philox (seed, offset) as {@code Backend.random(BERNOULLI)} draws it, so nothing is
 * kept between forward and backward but two numbers; the engine's {@link BiasDropoutAdd.Kernel} on
 * CUDA ({@link #fused}).
 */
public final class BiasDropoutAddKernels {
    private BiasDropoutAddKernels() {}

    static final String FILE = "bias_dropout_add";
    static final EntryPoint FORWARD = EntryPoint.of(FILE, "gw_bias_dropout_add_f32", PTR, PTR, PTR, PTR, I64, I32, F64, F32, I64, I64);
    static final EntryPoint BACKWARD = EntryPoint.of(FILE, "gw_bias_dropout_add_bwd_f32", PTR, PTR, I64, F64, F32, I64, I64);

    /** The survivors' factor 1/(1-p), rounded as the composition's {@code mask.mul(1 / (1 - p))} rounds it. */
    static float scale(double p) { return (float) (1 / (1 - p)); }

    /** y = residual + dropout_p(x + b): x, residual, y [rows, D], b [D], all contiguous; p in [0, 1). */
    public static void forward(CudaDevice dev, Tensor x, Tensor b, Tensor residual, Tensor y, double p, long seed, long offset) {
        requireContiguousF32("bias_dropout_add", x, b, residual, y);
        dev.launcher().elementwise(FORWARD.args().ptr(addr(x)).ptr(addr(b)).ptr(addr(residual)).ptr(addr(y)).i64(x.numel()).i32(b.numel())
                .f64(1 - p).f32(scale(p)).i64(seed).i64(offset), x.numel());
    }

    /** dx = mask * g / (1 - p), the mask regenerated from (seed, offset); g and dx contiguous. */
    public static void backward(CudaDevice dev, Tensor g, Tensor dx, double p, long seed, long offset) {
        requireContiguousF32("bias_dropout_add backward", g, dx);
        dev.launcher().elementwise(BACKWARD.args().ptr(addr(g)).ptr(addr(dx)).i64(g.numel()).f64(1 - p).f32(scale(p)).i64(seed).i64(offset),
                g.numel());
    }

    /** {@link BiasDropoutAdd.Kernel} on dev: null (compose) unless float32. */
    public static BiasDropoutAdd.Kernel fused(CudaDevice dev) {
        return (x, bias, residual, p, seed, offset, forBackward) -> {
            if (!allF32(x, bias, residual)) return null;
            int d = bias.numel();
            Tensor xd = dev.dense(x), bd = dev.dense(bias), rd = dev.dense(residual), y = dev.empty(DType.F32, x.shape());
            try {
                forward(dev, xd, bd, rd, y, p, seed, offset);
            } catch (RuntimeException | Error e) {
                y.close();
                throw e;
            } finally {
                closeIfCopy(xd, x);
                closeIfCopy(bd, bias);
                closeIfCopy(rd, residual);
            }
            return ReleasingResult.of(y, g -> {
                Tensor gd = dev.dense(g), dx = null;
                try {
                    // Without dropout x + b's gradient is g itself, as the composition hands it on.
                    if (p == 0) return new Tensor[]{g, bias.requiresGrad() ? ReduceKernels.columnSums(dev, gd, d) : null, g};
                    dx = dev.empty(DType.F32, g.shape());
                    backward(dev, gd, dx, p, seed, offset);
                    return new Tensor[]{dx, bias.requiresGrad() ? ReduceKernels.columnSums(dev, dx, d) : null, g};
                } catch (RuntimeException | Error e) {
                    closeAll(dx);
                    throw e;
                } finally {
                    closeIfCopy(gd, g);
                }
            });
        };
    }
}

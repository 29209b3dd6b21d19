package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.BiasGelu;
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
 * Host side of bias_gelu.cu: y = gelu(x + b) for x [rows, D] and b [D], and its gradient, as 1-D
 * grid-stride launches over contiguous CUDA float32 tensors; the engine's {@link BiasGelu.Kernel}
 * on CUDA ({@link #fused}), the bias gradient summed by {@link ReduceKernels#columnSums}.
 */
public final class BiasGeluKernels {
    private BiasGeluKernels() {}

    static final String FILE = "bias_gelu";
    static final EntryPoint FORWARD = EntryPoint.of(FILE, "gw_bias_gelu_f32", PTR, PTR, PTR, I64, I32);
    static final EntryPoint BACKWARD = EntryPoint.of(FILE, "gw_bias_gelu_bwd_f32", PTR, PTR, PTR, PTR, I64, I32);

    /** y = gelu(x + b), x [rows, D], b [D]. */
    public static void forward(CudaDevice dev, Tensor x, Tensor b, Tensor y) {
        requireContiguousF32("bias_gelu", x, b, y);
        int d = b.numel();
        dev.launcher().elementwise(FORWARD.args().ptr(addr(x)).ptr(addr(b)).ptr(addr(y)).i64(x.numel()).i32(d), x.numel());
    }

    /** dx = g * gelu'(x + b). */
    public static void backward(CudaDevice dev, Tensor g, Tensor x, Tensor b, Tensor dx) {
        requireContiguousF32("bias_gelu backward", g, x, b, dx);
        dev.launcher().elementwise(BACKWARD.args().ptr(addr(g)).ptr(addr(x)).ptr(addr(b)).ptr(addr(dx)).i64(x.numel()).i32(b.numel()),
                x.numel());
    }

    /** {@link BiasGelu.Kernel} on dev: null (compose) unless float32. Keeps x and b (their storage) for the backward. */
    public static BiasGelu.Kernel fused(CudaDevice dev) {
        return (x, bias, forBackward) -> {
            if (!allF32(x, bias)) return null;
            Tensor xd = dev.tensors().retainDense(x), bd = null, y = null;
            try {
                bd = dev.tensors().retainDense(bias);
                y = dev.empty(DType.F32, x.shape());
                forward(dev, xd, bd, y);
            } catch (RuntimeException | Error e) {
                closeAll(xd, bd, y);
                throw e;
            }
            Tensor xs = xd, bs = bd;
            return ReleasingResult.of(y, g -> {
                Tensor gd = dev.dense(g), dx = dev.empty(DType.F32, xs.shape());
                try {
                    backward(dev, gd, xs, bs, dx);
                    return new Tensor[]{dx, bias.requiresGrad() ? ReduceKernels.columnSums(dev, dx, bs.numel()) : null};
                } catch (RuntimeException | Error e) {
                    dx.close();
                    throw e;
                } finally {
                    closeIfCopy(gd, g);
                }
            }, xd, bd);
        };
    }
}

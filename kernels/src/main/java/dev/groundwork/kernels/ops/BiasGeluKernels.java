package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of bias_gelu.cu: y = gelu(x + b) for x [rows, D] and b [D], and its gradient, as 1-D
 * grid-stride launches over contiguous CUDA float32 tensors. Tested against the op-by-op composition.
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
}

package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of add_dropout.cu: the residual path y = residual + dropout(x) and the dropout gradient,
 * the mask regenerated from Philox (seed, offset) as {@code Backend.random(BERNOULLI)} draws it.
 */
public final class AddDropoutKernels {
    private AddDropoutKernels() {}

    static final String FILE = "add_dropout";
    static final EntryPoint ADD_DROPOUT = EntryPoint.of(FILE, "gw_add_dropout_f32", PTR, PTR, PTR, I64, F64, I64, I64);
    static final EntryPoint DROPOUT_BACKWARD = EntryPoint.of(FILE, "gw_dropout_bwd_f32", PTR, PTR, I64, F64, I64, I64);

    /** y = residual + dropout(x), the mask drawn as Backend.random(BERNOULLI, keep, seed, offset). */
    public static void addDropout(CudaDevice dev, Tensor x, Tensor residual, Tensor y, double keep, long seed, long offset) {
        requireContiguousF32("add_dropout", x, residual, y);
        dev.launcher().elementwise(ADD_DROPOUT.args().ptr(addr(x)).ptr(addr(residual)).ptr(addr(y)).i64(x.numel()).f64(keep).i64(seed).i64(offset),
                x.numel());
    }

    /** dx = mask * g / keep, the mask regenerated from (seed, offset). */
    public static void dropoutBackward(CudaDevice dev, Tensor g, Tensor dx, double keep, long seed, long offset) {
        requireContiguousF32("dropout backward", g, dx);
        dev.launcher().elementwise(DROPOUT_BACKWARD.args().ptr(addr(g)).ptr(addr(dx)).i64(g.numel()).f64(keep).i64(seed).i64(offset), g.numel());
    }
}

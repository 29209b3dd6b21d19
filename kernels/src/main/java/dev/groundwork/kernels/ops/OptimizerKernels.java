package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/** Host side of optimizer.cu: one SGD or Adam/AdamW step in place per parameter, 1-D grid-stride. */
public final class OptimizerKernels {
    private OptimizerKernels() {}

    static final String FILE = "optimizer";
    static final EntryPoint SGD = EntryPoint.of(FILE, "gw_sgd_f32", PTR, PTR, PTR, I64, F32, F32, F32, F32, I32, I32);
    static final EntryPoint ADAM = EntryPoint.of(FILE, "gw_adam_f32", PTR, PTR, PTR, PTR, I64, F32, F32, F32, F32, F32, I32, F32, F32);

    /** One SGD step in place (PyTorch semantics; buf may be null when momentum is 0). */
    public static void sgd(CudaDevice dev, Tensor p, Tensor g, Tensor buf, double lr, double momentum, double dampening,
                           double weightDecay, boolean nesterov, boolean firstStep) {
        requireContiguousF32("sgd", p, g, buf);
        if (momentum != 0 && buf == null) throw new IllegalArgumentException("sgd: momentum needs a buffer");
        dev.launcher().elementwise(SGD.args().ptr(addr(p)).ptr(addr(g)).ptr(buf == null ? 0 : addr(buf)).i64(p.numel()).f32((float) lr)
                .f32((float) momentum).f32((float) dampening).f32((float) weightDecay).i32(nesterov ? 1 : 0).i32(firstStep ? 1 : 0), p.numel());
    }

    /** One Adam (decoupled = false) or AdamW (decoupled = true) step in place at step t (1-based). */
    public static void adam(CudaDevice dev, Tensor p, Tensor g, Tensor m, Tensor v, double lr, double beta1, double beta2,
                            double eps, double weightDecay, boolean decoupled, long step) {
        requireContiguousF32("adam", p, g, m, v);
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        dev.launcher().elementwise(ADAM.args().ptr(addr(p)).ptr(addr(g)).ptr(addr(m)).ptr(addr(v)).i64(p.numel()).f32((float) lr)
                .f32((float) beta1).f32((float) beta2).f32((float) eps).f32((float) weightDecay).i32(decoupled ? 1 : 0)
                .f32((float) bc1).f32((float) bc2), p.numel());
    }
}

package dev.groundwork.kernels.ops;

import dev.groundwork.engine.optim.StepKernel;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.requireContiguousF32;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of optimizer.cu, and the engine's {@link StepKernel} on CUDA ({@link #fused}): one launch
 * per parameter and step for SGD, Adam and AdamW, three for BertAdam with clipping (sq_norm.cu's two
 * stages, then the update reading the sum on the device). The float constants are rounded here as
 * the composition rounds them (StepKernel's records), so the kernels repeat its arithmetic.
 * Nothing is allocated per step: the updates work in place on tensors the optimizer owns, and
 * BertAdam's partials and sum live in one scratch buffer sized once per device.
 */
public final class OptimizerKernels {
    private OptimizerKernels() {}

    static final String FILE = "optimizer";
    static final EntryPoint SGD = EntryPoint.of(FILE, "gw_sgd_f32", PTR, PTR, PTR, I64, F32, F32, F32, F32, I32, I32);
    static final EntryPoint ADAM = EntryPoint.of(FILE, "gw_adam_f32", PTR, PTR, PTR, PTR, I64, F32, F32, F32, F32, F32, F32, F32, F32, F32);
    static final EntryPoint BERT_ADAM = EntryPoint.of(FILE, "gw_bert_adam_f32", PTR, PTR, PTR, PTR, I64, PTR, F64, F32, F32, F32, F32, F32, F32, F32);

    /** One SGD step in place; buf is null when momentum is 0. */
    public static void sgd(CudaDevice dev, StepKernel.SgdRule r, Tensor p, Tensor g, Tensor buf, boolean firstStep) {
        requireContiguousF32("sgd", p, g, buf);
        if (r.momentum() != 0 && buf == null) throw new IllegalArgumentException("sgd: momentum " + r.momentum() + " needs a buffer");
        dev.launcher().elementwise(SGD.args().ptr(addr(p)).ptr(addr(g)).ptr(buf == null ? 0 : addr(buf)).i64(p.numel())
                .f32((float) r.lr()).f32((float) r.weightDecay()).f32((float) r.momentum()).f32(r.undamped())
                .i32(r.nesterov() ? 1 : 0).i32(firstStep ? 1 : 0), p.numel());
    }

    /** One Adam or AdamW step in place at step t (1-based). */
    public static void adam(CudaDevice dev, StepKernel.AdamRule r, long t, Tensor p, Tensor g, Tensor m, Tensor v) {
        requireContiguousF32("adam", p, g, m, v);
        float l2 = r.decoupled() ? 0f : (float) r.weightDecay();
        dev.launcher().elementwise(ADAM.args().ptr(addr(p)).ptr(addr(g)).ptr(addr(m)).ptr(addr(v)).i64(p.numel())
                .f32(r.decayFactor()).f32(l2).f32((float) r.beta1()).f32((float) r.beta2())
                .f32((float) (1 - r.beta1())).f32((float) (1 - r.beta2())).f32(r.stepSize(t)).f32(r.sqrtBiasCorrection2(t))
                .f32((float) r.eps()), p.numel());
    }

    /**
     * One BertAdam step in place; sqNorm is the device address of the float Σ g² (from
     * {@link SqNormKernels#squaredNorm}) when clipping, else 0.
     */
    public static void bertAdam(CudaDevice dev, StepKernel.BertAdamRule r, Tensor p, Tensor g, Tensor m, Tensor v, long sqNorm) {
        requireContiguousF32("bert_adam", p, g, m, v);
        dev.launcher().elementwise(BERT_ADAM.args().ptr(addr(p)).ptr(addr(g)).ptr(addr(m)).ptr(addr(v)).i64(p.numel())
                .ptr(sqNorm).f64(r.maxGradNorm()).f32((float) r.lr()).f32((float) r.weightDecay())
                .f32((float) r.beta1()).f32((float) r.beta2()).f32((float) (1 - r.beta1())).f32((float) (1 - r.beta2()))
                .f32((float) r.eps()), p.numel());
    }

    /** {@link StepKernel} on dev: covers contiguous float32 tensors of dev's device. */
    public static StepKernel fused(CudaDevice dev) { return new Step(dev); }

    private static final class Step implements StepKernel {
        private final CudaDevice dev;
        /** BertAdam's clipping scratch: the partials, then the sum. Allocated at the first clipped step, kept for the device's life. */
        private DeviceBuffer clipScratch;

        Step(CudaDevice dev) { this.dev = dev; }

        @Override public boolean covers(Tensor... ts) {
            for (Tensor t : ts)
                if (t != null && (!dev.device().equals(t.device()) || t.dtype() != DType.F32 || !t.isContiguous())) return false;
            return true;
        }

        @Override public void sgd(SgdRule rule, Tensor p, Tensor g, Tensor buf, boolean firstStep) {
            OptimizerKernels.sgd(dev, rule, p, g, buf, firstStep);
        }

        @Override public void adam(AdamRule rule, long step, Tensor p, Tensor g, Tensor m, Tensor v) {
            OptimizerKernels.adam(dev, rule, step, p, g, m, v);
        }

        /** Synchronized: optimizers on several threads share the one scratch, which the stream order protects only within a thread. */
        @Override public synchronized void bertAdam(BertAdamRule rule, Tensor p, Tensor g, Tensor m, Tensor v) {
            long sum = 0;
            if (rule.maxGradNorm() > 0) {
                if (clipScratch == null) clipScratch = dev.scratch(SqNormKernels.PARTIALS_BYTES + Float.BYTES);
                sum = clipScratch.address() + SqNormKernels.PARTIALS_BYTES;
                SqNormKernels.squaredNorm(dev, g, clipScratch.address(), sum);
            }
            OptimizerKernels.bertAdam(dev, rule, p, g, m, v, sum);
        }
    }
}

package dev.groundwork.engine.cpu;

import dev.groundwork.engine.optim.GradClip;
import dev.groundwork.engine.optim.StepKernel;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

/**
 * The optimizers' updates for float32 CPU parameters, each in one multi-threaded pass in place. The
 * op-by-op form allocates about fourteen parameter-sized temporaries per step (3 GB for stage 2's 56 M
 * trainable parameters, spent mostly zeroing memory and collecting it). Each loop performs the same
 * float32 operations in the same order with the same float constants as that form (Java never fuses a
 * multiply and an add), so the results are bit-identical; StepKernelTest holds each rule to it.
 */
final class CpuStepKernel implements StepKernel {
    static final CpuStepKernel INSTANCE = new CpuStepKernel();

    /** Elements per task of the parallel loops. */
    private static final int GRAIN = 1 << 15;

    private CpuStepKernel() {}

    @Override
    public boolean covers(Tensor... ts) {
        for (Tensor t : ts)
            if (t != null && (t.device().type() != Device.Type.CPU || t.dtype() != DType.F32 || !t.isContiguous())) return false;
        return true;
    }

    @Override
    public void sgd(SgdRule r, Tensor p, Tensor grad, Tensor buf, boolean firstStep) {
        float[] pa = f32(p), ga = f32(grad), ba = buf == null ? null : f32(buf);
        int po = p.offset(), go = grad.offset(), bo = buf == null ? 0 : buf.offset();
        float lr = (float) r.lr(), wd = (float) r.weightDecay(), mu = (float) r.momentum(), undamped = r.undamped();
        boolean decay = r.weightDecay() != 0, momentum = r.momentum() != 0, nesterov = r.nesterov();
        if (momentum && ba == null) throw new IllegalArgumentException("sgd: momentum " + r.momentum() + " needs a buffer");
        CpuThreads.parallelFor(0, p.numel(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = ga[go + i];
                if (decay) d = d + pa[po + i] * wd;
                if (momentum) {
                    float b = firstStep ? d : ba[bo + i] * mu + d * undamped;
                    ba[bo + i] = b;
                    d = nesterov ? d + b * mu : b;
                }
                pa[po + i] = pa[po + i] - d * lr;
            }
        });
    }

    @Override
    public void adam(AdamRule r, long t, Tensor p, Tensor grad, Tensor m, Tensor v) {
        float[] pa = f32(p), ga = f32(grad), ma = f32(m), va = f32(v);
        int po = p.offset(), go = grad.offset(), mo = m.offset(), vo = v.offset();
        // The constants exactly as the op-by-op form rounds them: scalar operands become float.
        float wd = (float) r.weightDecay(), b1 = (float) r.beta1(), b2 = (float) r.beta2();
        float omb1 = (float) (1 - r.beta1()), omb2 = (float) (1 - r.beta2()), eps = (float) r.eps();
        float stepSize = r.stepSize(t), bc2 = r.sqrtBiasCorrection2(t), shrink = r.decayFactor();
        boolean l2 = !r.decoupled() && r.weightDecay() != 0, decoupled = r.decoupled() && r.weightDecay() != 0;
        CpuThreads.parallelFor(0, p.numel(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float pi = pa[po + i];
                if (decoupled) pi = pi * shrink;
                float g = ga[go + i];
                if (l2) g = g + pi * wd;
                float mi = ma[mo + i] * b1 + g * omb1;
                float vi = va[vo + i] * b2 + (g * omb2) * g;
                ma[mo + i] = mi;
                va[vo + i] = vi;
                float denom = (float) Math.sqrt(vi) / bc2 + eps;
                pa[po + i] = pi - (mi * stepSize) / denom;
            }
        });
    }

    @Override
    public void bertAdam(BertAdamRule r, Tensor p, Tensor grad, Tensor m, Tensor v) {
        float[] pa = f32(p), ga = f32(grad), ma = f32(m), va = f32(v);
        int po = p.offset(), go = grad.offset(), mo = m.offset(), vo = v.offset();
        float lr = (float) r.lr(), wd = (float) r.weightDecay(), b1 = (float) r.beta1(), b2 = (float) r.beta2();
        float omb1 = (float) (1 - r.beta1()), omb2 = (float) (1 - r.beta2()), eps = (float) r.eps();
        boolean decay = r.weightDecay() > 0;
        double factor = r.maxGradNorm() > 0
                ? GradClip.singleTensorClipFactor(CpuSquaredNorm.of(ga, go, grad.numel()), r.maxGradNorm()) : 1;
        // Scaled only below 1, as clipGradNorm does; the clipped gradient is written back, as BertAdam's is.
        boolean clip = factor < 1;
        float c = (float) factor;
        CpuThreads.parallelFor(0, p.numel(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = ga[go + i];
                if (clip) {
                    g = g * c;
                    ga[go + i] = g;
                }
                float mi = ma[mo + i] * b1 + g * omb1;
                float vi = va[vo + i] * b2 + (g * omb2) * g;
                ma[mo + i] = mi;
                va[vo + i] = vi;
                float u = mi / ((float) Math.sqrt(vi) + eps);
                if (decay) u = u + pa[po + i] * wd;
                pa[po + i] = pa[po + i] - u * lr;
            }
        });
    }

    private static float[] f32(Tensor t) { return CpuBackend.cpu(t).f32(); }
}

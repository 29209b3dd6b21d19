package dev.groundwork.engine.optim;

import dev.groundwork.engine.cpu.CpuStorage;
import dev.groundwork.engine.cpu.CpuThreads;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Adam's update for float32 CPU parameters in one multi-threaded pass, in place. The op-by-op form
 * allocates about fourteen parameter-sized temporaries per step (3 GB for stage 2's 56 M trainable
 * parameters, spent mostly zeroing memory and collecting it). This loop performs the same float32
 * operations in the same order with the same float constants as that form, so the results are
 * bit-identical (AdamStepTest checks it).
 */
final class CpuAdamStep {
    private CpuAdamStep() {}

    static boolean applies(Tensor... ts) {
        for (Tensor t : ts)
            if (t == null || t.device().type() != Device.Type.CPU || t.dtype() != DType.F32 || !t.isContiguous()) return false;
        return true;
    }

    /** m, v: the moments (zeros before the first step); t: the 1-based step count. */
    static void update(Tensor p, Tensor grad, Tensor m, Tensor v, double lr, double b1, double b2, double eps, double wd, long t) {
        float[] pa = ((CpuStorage) p.storage()).f32(), ga = ((CpuStorage) grad.storage()).f32();
        float[] ma = ((CpuStorage) m.storage()).f32(), va = ((CpuStorage) v.storage()).f32();
        int po = p.offset(), go = grad.offset(), mo = m.offset(), vo = v.offset();
        // The constants exactly as the op-by-op form rounds them: scalar operands become float.
        float wdF = (float) wd, b1F = (float) b1, b2F = (float) b2, omb1 = (float) (1 - b1), omb2 = (float) (1 - b2);
        float stepSize = (float) (lr / (1 - Math.pow(b1, t))), bc2 = (float) Math.sqrt(1 - Math.pow(b2, t)), epsF = (float) eps;
        boolean decay = wd != 0;
        CpuThreads.parallelFor(0, p.numel(), 1 << 15, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = ga[go + i];
                if (decay) g = g + pa[po + i] * wdF;
                float mi = ma[mo + i] * b1F + g * omb1;
                float vi = va[vo + i] * b2F + (g * omb2) * g;
                ma[mo + i] = mi;
                va[vo + i] = vi;
                float denom = (float) Math.sqrt(vi) / bc2 + epsF;
                pa[po + i] = pa[po + i] - (mi * stepSize) / denom;
            }
        });
    }
}

package dev.groundwork.engine.cpu;

import dev.groundwork.engine.optim.GradClip;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

import java.util.List;

/**
 * Σ x² of each gradient for {@link GradClip} without the parameter-sized square the composition
 * {@code g.square().sum()} allocates, and with its summation: each square rounded to the dtype,
 * added in element order into a double, the total rounded to the dtype (what the CPU reduce kernel
 * does), so clipping gives the same numbers either way.
 */
final class CpuSquaredNorm implements GradClip.SquaredNormKernel {
    static final CpuSquaredNorm INSTANCE = new CpuSquaredNorm();

    private CpuSquaredNorm() {}

    @Override
    public double[] squaredNorms(List<Tensor> tensors) {
        for (Tensor t : tensors)
            if (t.device().type() != Device.Type.CPU || !t.isContiguous() || (t.dtype() != DType.F32 && t.dtype() != DType.F64)) return null;
        double[] out = new double[tensors.size()];
        for (int i = 0; i < out.length; i++) {
            Tensor t = tensors.get(i);
            CpuStorage s = CpuBackend.cpu(t);
            out[i] = t.dtype() == DType.F32 ? of(s.f32(), t.offset(), t.numel()) : of(s.f64(), t.offset(), t.numel());
        }
        return out;
    }

    /** Σ a[off..off+n)² as the float32 composition computes it, widened to double. */
    static double of(float[] a, int off, int n) {
        double acc = 0;
        for (int i = off; i < off + n; i++) acc += a[i] * a[i];
        return (float) acc;
    }

    private static double of(double[] a, int off, int n) {
        double acc = 0;
        for (int i = off; i < off + n; i++) acc += a[i] * a[i];
        return acc;
    }
}

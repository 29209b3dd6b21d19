package dev.groundwork.engine.cpu;

import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.ReduceOp;
import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.optim.GradClip;
import dev.groundwork.engine.optim.StepKernel;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Storage;
import dev.groundwork.engine.tensor.Tensor;

/**
 * The reference backend: every kernel for every dtype in plain Java, float32 hot paths (GEMM, conv,
 * softmax, layer norm, elementwise rows) multi-threaded and vectorised. Dispatch only; the kernels
 * live in the Cpu* classes of this package.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    static CpuStorage cpu(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s))
            throw new IllegalArgumentException("CPU kernel given a tensor on " + t.device());
        return s;
    }

    /** t itself when row-major from offset 0, else a compact copy (for kernels that index from 0). */
    static Tensor dense(Tensor t) {
        if (t == null || (t.isContiguous() && t.offset() == 0)) return t;
        Tensor c = new Tensor(CpuStorage.allocateUninitialized(t.dtype(), t.numel()), t.shape(), Shape.contiguousStrides(t.shape()), 0);
        CpuElementwise.copy(t, c);
        return c;
    }

    /** A raw (unrecorded) view of index i along dim. */
    static Tensor select(Tensor t, int dim, int i) {
        int[] shape = t.shape(), strides = t.strides();
        int[] ns = new int[shape.length - 1], nst = new int[shape.length - 1];
        for (int d = 0, k = 0; d < shape.length; d++) {
            if (d == dim) continue;
            ns[k] = shape[d];
            nst[k++] = strides[d];
        }
        return t.asStrided(ns, nst, t.offset() + i * strides[dim]);
    }

    @Override public Device device() { return Device.CPU; }

    @Override public Storage allocate(DType dtype, int size) { return CpuStorage.allocate(dtype, size); }

    @Override public Storage allocateUninitialized(DType dtype, int size) { return CpuStorage.allocateUninitialized(dtype, size); }

    @Override public Storage upload(Object hostArray) {
        return switch (hostArray) {
            case float[] a -> new CpuStorage.F32(a);
            case double[] a -> new CpuStorage.F64(a);
            case long[] a -> new CpuStorage.I64(a);
            case int[] a -> new CpuStorage.I32(a);
            default -> throw new IllegalArgumentException("unsupported host array " + hostArray.getClass());
        };
    }

    @Override public Object download(Tensor t) {
        CpuStorage s = cpu(t);
        int n = t.numel();
        if (t.isContiguous()) {
            int o = t.offset();
            return switch (t.dtype()) {
                case F32 -> java.util.Arrays.copyOfRange(s.f32(), o, o + n);
                case F64 -> java.util.Arrays.copyOfRange(s.f64(), o, o + n);
                case I64 -> java.util.Arrays.copyOfRange(s.i64(), o, o + n);
                case I32 -> java.util.Arrays.copyOfRange(s.i32(), o, o + n);
            };
        }
        Tensor c = new Tensor(allocateUninitialized(t.dtype(), n), t.shape(), Shape.contiguousStrides(t.shape()), 0);
        copy(t, c);
        return download(c);
    }

    @Override public void copy(Tensor src, Tensor dst) { CpuElementwise.copy(src, dst); }

    @Override public void fill(Tensor dst, double v) { CpuElementwise.fill(dst, v); }

    @Override public void unary(UnaryOp op, Tensor x, Tensor out, double p, double q) { CpuElementwise.unary(op, x, out, p, q); }

    @Override public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) { CpuElementwise.binary(op, a, b, out); }

    @Override public void where(Tensor cond, Tensor a, Tensor b, Tensor out) { CpuElementwise.where(cond, a, b, out); }

    @Override public void reduce(ReduceOp op, Tensor x, int dim, Tensor out, Tensor indices) { CpuReduce.reduce(op, x, dim, out, indices); }

    @Override public void matmul(Tensor a, Tensor b, Tensor out) { CpuMatmul.matmul(a, b, out); }

    private static CpuConvReference.Geometry geometry(int[] xs, int[] ws, int[] stride, int[] padding) {
        int oh = (xs[2] + 2 * padding[0] - ws[2]) / stride[0] + 1, ow = (xs[3] + 2 * padding[1] - ws[3]) / stride[1] + 1;
        return new CpuConvReference.Geometry(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], stride[0], stride[1], padding[0], padding[1], oh, ow);
    }

    @Override public void conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, Tensor out) {
        var g = geometry(x.shape(), weight.shape(), stride, padding);
        CpuConv.forward(g, dense(x), dense(weight), dense(bias), out);
    }

    @Override public void conv2dBackwardData(Tensor gradOut, Tensor weight, int[] stride, int[] padding, Tensor gradX) {
        var g = geometry(gradX.shape(), weight.shape(), stride, padding);
        CpuConv.backwardData(g, dense(gradOut), dense(weight), gradX);
    }

    @Override public void conv2dBackwardWeight(Tensor x, Tensor gradOut, int[] stride, int[] padding, Tensor gradW, Tensor gradBias) {
        var g = geometry(x.shape(), gradW.shape(), stride, padding);
        CpuConv.backwardWeight(g, dense(x), dense(gradOut), gradW, gradBias);
    }

    @Override public void maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, Tensor out, Tensor indices) {
        int[] s = x.shape(), o = out.shape();
        if (x.dtype() == DType.F32 && out.dtype() == DType.F32 && out.offset() == 0 && indices.offset() == 0) {
            Pool2dKernels.maxPool2dForward(cpu(dense(x)).f32(), s[0], s[1], s[2], s[3], kernel[0], kernel[1], stride[0], stride[1],
                    padding[0], padding[1], false, cpu(out).f32(), cpu(indices).i32());
            return;
        }
        CpuPool.maxForward(cpu(dense(x)), s[0] * s[1], s[2], s[3], kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
                o[2], o[3], cpu(out), cpu(indices));
    }

    @Override public void maxPool2dBackward(Tensor gradOut, Tensor indices, Tensor gradX) {
        int[] s = gradX.shape(), o = gradOut.shape();
        if (gradOut.dtype() == DType.F32 && gradX.dtype() == DType.F32 && gradX.offset() == 0) {
            Pool2dKernels.maxPool2dBackward(cpu(dense(gradOut)).f32(), cpu(dense(indices)).i32(), s[0], s[1], s[2], s[3], o[2], o[3], cpu(gradX).f32());
            return;
        }
        CpuPool.maxBackward(cpu(dense(gradOut)), cpu(dense(indices)), s[0] * s[1], s[2] * s[3], o[2] * o[3], cpu(gradX));
    }

    @Override public void avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, Tensor out) {
        int[] s = x.shape(), o = out.shape();
        CpuPool.avg(false, cpu(dense(x)), s[0] * s[1], s[2], s[3], kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], o[2], o[3], cpu(out));
    }

    @Override public void avgPool2dBackward(Tensor gradOut, int[] kernel, int[] stride, int[] padding, Tensor gradX) {
        int[] s = gradX.shape(), o = gradOut.shape();
        CpuPool.avg(true, cpu(dense(gradOut)), s[0] * s[1], s[2], s[3], kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], o[2], o[3], cpu(gradX));
    }

    @Override public void adaptiveAvgPool2d(Tensor x, Tensor out) {
        int[] s = x.shape(), o = out.shape();
        CpuPool.adaptiveAvg(false, cpu(dense(x)), s[0] * s[1], s[2], s[3], o[2], o[3], cpu(out));
    }

    @Override public void adaptiveAvgPool2dBackward(Tensor gradOut, Tensor gradX) {
        int[] s = gradX.shape(), o = gradOut.shape();
        CpuPool.adaptiveAvg(true, cpu(dense(gradOut)), s[0] * s[1], s[2], s[3], o[2], o[3], cpu(gradX));
    }

    @Override public void softmax(Tensor x, int dim, boolean log, Tensor out) { CpuNorm.softmax(x, dim, log, out); }

    @Override public void softmaxBackward(Tensor gradOut, Tensor y, int dim, boolean log, Tensor gradIn) {
        CpuNorm.softmaxBackward(gradOut, y, dim, log, gradIn);
    }

    @Override public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        CpuNorm.layerNorm(x, weight, bias, eps, out, mean, rstd);
    }

    @Override public void layerNormBackward(Tensor gradOut, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                                            Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        CpuNorm.layerNormBackward(gradOut, x, weight, mean, rstd, gradX, gradWeight, gradBias);
    }

    @Override public void gather(Tensor x, int dim, Tensor index, Tensor out) { CpuIndex.gatherScatter(false, x, dim, index, out); }

    @Override public void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) { CpuIndex.gatherScatter(true, dst, dim, index, src); }

    @Override public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) { CpuIndex.indexSelect(x, dim, index, out); }

    @Override public void indexAdd(Tensor dst, int dim, Tensor index, Tensor src) { CpuIndex.indexAdd(dst, dim, index, src); }

    @Override public void random(Tensor out, RandomKind kind, long seed, long offset, double a, double b) {
        CpuRandom.fill(out, kind, seed, offset, a, b);
    }

    /**
     * The optimizer step and the gradient-norm sums, which save the composition's parameter-sized
     * temporaries and give its very numbers. The ops' fused kernels are not offered: on the CPU their
     * composition is the kernel (and the reference the other backends are tested against).
     */
    @Override public <K> K kernel(Class<K> kind) {
        if (kind == StepKernel.class) return kind.cast(CpuStepKernel.INSTANCE);
        if (kind == GradClip.SquaredNormKernel.class) return kind.cast(CpuSquaredNorm.INSTANCE);
        return null;
    }
}

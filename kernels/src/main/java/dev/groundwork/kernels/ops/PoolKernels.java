package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.KernelArgs;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of pool.cu: max, average and adaptive-average 2-D pooling, forward and backward, one
 * thread per output (forward) or per gradient element. Max pooling is ours rather than cuDNN's
 * because the engine's backward contract carries the argmax indices, which cuDNN's pooling does not
 * produce.
 */
public final class PoolKernels {
    private PoolKernels() {}

    static final String FILE = "pool";
    static final EntryPoint MAX = EntryPoint.of(FILE, "gw_max_pool2d_f32", PTR, PTR, PTR, I64, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32);
    static final EntryPoint MAX_BACKWARD = EntryPoint.of(FILE, "gw_max_pool2d_bwd_f32", PTR, PTR, PTR, I64, I32, I32);
    static final EntryPoint AVG = EntryPoint.of(FILE, "gw_avg_pool2d_f32", PTR, PTR, I64, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32);
    static final EntryPoint AVG_BACKWARD = AVG.with("gw_avg_pool2d_bwd_f32");
    static final EntryPoint ADAPTIVE = EntryPoint.of(FILE, "gw_adaptive_avg_pool2d_f32", PTR, PTR, I64, I32, I32, I32, I32);
    static final EntryPoint ADAPTIVE_BACKWARD = ADAPTIVE.with("gw_adaptive_avg_pool2d_bwd_f32");

    private static void f32(Tensor... ts) {
        for (Tensor t : ts) if (t.dtype() != DType.F32) throw new IllegalArgumentException("CUDA pooling computes float32, got " + t.dtype());
    }

    private static void requireContiguous(String what, Tensor t) {
        if (!t.isContiguous()) throw new IllegalArgumentException(what + " output must be contiguous");
    }

    public static void maxForward(CudaDevice dev, Tensor x, int[] k, int[] s, int[] p, Tensor out, Tensor indices) {
        f32(x, out);
        requireContiguous("max_pool2d", out);
        requireContiguous("max_pool2d indices", indices);
        Tensor xd = dev.dense(x);
        try {
            int[] xs = x.shape(), os = out.shape();
            long planes = (long) xs[0] * xs[1];
            KernelArgs a = MAX.args().ptr(addr(xd)).ptr(addr(out)).ptr(addr(indices)).i64(planes).i32(xs[2]).i32(xs[3])
                    .i32(os[2]).i32(os[3]).i32(k[0]).i32(k[1]).i32(s[0]).i32(s[1]).i32(p[0]).i32(p[1]);
            dev.launcher().elementwise(a, planes * os[2] * os[3]);
        } finally {
            closeIfCopy(xd, x);
        }
    }

    public static void maxBackward(CudaDevice dev, Tensor gradOut, Tensor indices, Tensor gradX) {
        f32(gradOut, gradX);
        requireContiguous("max_pool2d backward", gradX);
        Tensor gd = dev.dense(gradOut), id = dev.dense(indices);
        try {
            int[] xs = gradX.shape(), os = gradOut.shape();
            long planes = (long) xs[0] * xs[1];
            dev.tensors().zero(addr(gradX), (long) gradX.numel() * 4, "max_pool2d gradient");
            KernelArgs a = MAX_BACKWARD.args().ptr(addr(gd)).ptr(addr(id)).ptr(addr(gradX)).i64(planes).i32(xs[2] * xs[3]).i32(os[2] * os[3]);
            dev.launcher().elementwise(a, planes * os[2] * os[3]);
        } finally {
            closeIfCopy(gd, gradOut);
            closeIfCopy(id, indices);
        }
    }

    /** backward: in = gradOut, out = gradX; forward: in = x, out = y. */
    public static void avg(CudaDevice dev, boolean backward, Tensor in, int[] k, int[] s, int[] p, Tensor out) {
        f32(in, out);
        requireContiguous("avg_pool2d", out);
        Tensor id = dev.dense(in);
        try {
            int[] xs = backward ? out.shape() : in.shape(), os = backward ? in.shape() : out.shape();
            long planes = (long) xs[0] * xs[1];
            KernelArgs a = (backward ? AVG_BACKWARD : AVG).args().ptr(addr(id)).ptr(addr(out)).i64(planes).i32(xs[2]).i32(xs[3])
                    .i32(os[2]).i32(os[3]).i32(k[0]).i32(k[1]).i32(s[0]).i32(s[1]).i32(p[0]).i32(p[1]);
            dev.launcher().elementwise(a, out.numel());
        } finally {
            closeIfCopy(id, in);
        }
    }

    /** backward: in = gradOut, out = gradX; forward: in = x, out = y. */
    public static void adaptive(CudaDevice dev, boolean backward, Tensor in, Tensor out) {
        f32(in, out);
        requireContiguous("adaptive_avg_pool2d", out);
        Tensor id = dev.dense(in);
        try {
            int[] xs = backward ? out.shape() : in.shape(), os = backward ? in.shape() : out.shape();
            long planes = (long) xs[0] * xs[1];
            KernelArgs a = (backward ? ADAPTIVE_BACKWARD : ADAPTIVE).args().ptr(addr(id)).ptr(addr(out)).i64(planes).i32(xs[2]).i32(xs[3])
                    .i32(os[2]).i32(os[3]);
            dev.launcher().elementwise(a, out.numel());
        } finally {
            closeIfCopy(id, in);
        }
    }
}

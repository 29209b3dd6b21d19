package dev.groundwork.kernels.backend;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.Cu;
import dev.groundwork.kernels.cuda.DevicePointers;
import dev.groundwork.kernels.cuda.KernelArgs;

import static dev.groundwork.kernels.backend.CudaBackend.addr;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;

/**
 * Host side of pool.cu. Max pooling is ours rather than cuDNN's because the engine's backward
 * contract carries the argmax indices, which cuDNN's pooling does not produce.
 */
final class CudaPool {
    private CudaPool() {}

    private static void f32(Tensor... ts) {
        for (Tensor t : ts) if (t.dtype() != DType.F32) throw new IllegalArgumentException("CUDA pooling computes float32, got " + t.dtype());
    }

    private static void requireContiguous(String what, Tensor t) {
        if (!t.isContiguous()) throw new IllegalArgumentException(what + " output must be contiguous");
    }

    static void maxForward(CudaBackend be, Tensor x, int[] k, int[] s, int[] p, Tensor out, Tensor indices) {
        f32(x, out);
        requireContiguous("max_pool2d", out);
        requireContiguous("max_pool2d indices", indices);
        Tensor xd = be.dense(x);
        try {
            int[] xs = x.shape(), os = out.shape();
            long planes = (long) xs[0] * xs[1];
            KernelArgs a = new KernelArgs().ptr(addr(xd)).ptr(addr(out)).ptr(addr(indices)).i64(planes).i32(xs[2]).i32(xs[3])
                    .i32(os[2]).i32(os[3]).i32(k[0]).i32(k[1]).i32(s[0]).i32(s[1]).i32(p[0]).i32(p[1]);
            be.launcher().elementwise("pool", "gw_max_pool2d_f32", planes * os[2] * os[3], a);
        } finally {
            CudaBackend.closeIfCopy(xd, x);
        }
    }

    static void maxBackward(CudaBackend be, Tensor gradOut, Tensor indices, Tensor gradX) {
        f32(gradOut, gradX);
        requireContiguous("max_pool2d backward", gradX);
        Tensor gd = be.dense(gradOut), id = be.dense(indices);
        try {
            int[] xs = gradX.shape(), os = gradOut.shape();
            long planes = (long) xs[0] * xs[1];
            be.context().makeCurrent();
            Cu.check(cuMemsetD8Async(DevicePointers.of(addr(gradX)), (byte) 0, (long) gradX.numel() * 4, be.context().computeStream()), "cuMemsetD8Async");
            KernelArgs a = new KernelArgs().ptr(addr(gd)).ptr(addr(id)).ptr(addr(gradX)).i64(planes).i32(xs[2] * xs[3]).i32(os[2] * os[3]);
            be.launcher().elementwise("pool", "gw_max_pool2d_bwd_f32", planes * os[2] * os[3], a);
        } finally {
            CudaBackend.closeIfCopy(gd, gradOut);
            CudaBackend.closeIfCopy(id, indices);
        }
    }

    /** backward: in = gradOut, out = gradX; forward: in = x, out = y. */
    static void avg(CudaBackend be, boolean backward, Tensor in, int[] k, int[] s, int[] p, Tensor out) {
        f32(in, out);
        requireContiguous("avg_pool2d", out);
        Tensor id = be.dense(in);
        try {
            int[] xs = backward ? out.shape() : in.shape(), os = backward ? in.shape() : out.shape();
            long planes = (long) xs[0] * xs[1];
            KernelArgs a = new KernelArgs().ptr(addr(id)).ptr(addr(out)).i64(planes).i32(xs[2]).i32(xs[3]).i32(os[2]).i32(os[3])
                    .i32(k[0]).i32(k[1]).i32(s[0]).i32(s[1]).i32(p[0]).i32(p[1]);
            be.launcher().elementwise("pool", backward ? "gw_avg_pool2d_bwd_f32" : "gw_avg_pool2d_f32", out.numel(), a);
        } finally {
            CudaBackend.closeIfCopy(id, in);
        }
    }

    static void adaptive(CudaBackend be, boolean backward, Tensor in, Tensor out) {
        f32(in, out);
        requireContiguous("adaptive_avg_pool2d", out);
        Tensor id = be.dense(in);
        try {
            int[] xs = backward ? out.shape() : in.shape(), os = backward ? in.shape() : out.shape();
            long planes = (long) xs[0] * xs[1];
            KernelArgs a = new KernelArgs().ptr(addr(id)).ptr(addr(out)).i64(planes).i32(xs[2]).i32(xs[3]).i32(os[2]).i32(os[3]);
            be.launcher().elementwise("pool", backward ? "gw_adaptive_avg_pool2d_bwd_f32" : "gw_adaptive_avg_pool2d_f32", out.numel(), a);
        } finally {
            CudaBackend.closeIfCopy(id, in);
        }
    }
}

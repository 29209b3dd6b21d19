package dev.groundwork.kernels.backend;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.Cu;
import dev.groundwork.kernels.cuda.DevicePointers;
import dev.groundwork.kernels.cuda.KernelArgs;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static dev.groundwork.kernels.backend.CudaBackend.addr;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;

/**
 * Host side of index.cu. Each launch gets a zeroed error word; an out-of-range index sets it and
 * the host, reading it back, throws naming the op (the CPU backend's behaviour), at the cost of
 * one small synchronous read per call.
 */
final class CudaIndex {
    private CudaIndex() {}

    private static void requireI64(String op, Tensor index) {
        if (index.dtype() != DType.I64) throw new IllegalArgumentException(op + ": index must be I64, got " + index.dtype());
    }

    private static DeviceBuffer errorWord(CudaBackend be) {
        DeviceBuffer err = be.scratch(4);
        be.context().makeCurrent();
        Cu.check(cuMemsetD8Async(DevicePointers.of(err.address()), (byte) 0, 4, be.context().computeStream()), "cuMemsetD8Async");
        return err;
    }

    private static void checkError(CudaBackend be, DeviceBuffer err, String op, int bound) {
        int[] flag = new int[1];
        be.context().staging().download(err.address(), flag, 4);
        if (flag[0] != 0) throw new IndexOutOfBoundsException(op + ": an index is out of range [0, " + bound + ")");
    }

    static void gatherScatter(CudaBackend be, boolean scatter, Tensor x, int dim, Tensor index, Tensor other) {
        String op = scatter ? "scatter_add" : "gather";
        requireI64(op, index);
        long n = index.numel();
        if (n == 0) return;
        int[] shape = index.shape();
        long[] xs = new long[shape.length], is = new long[shape.length], os = new long[shape.length];
        for (int d = 0; d < shape.length; d++) {
            xs[d] = d == dim ? 0 : x.stride(d);
            is[d] = index.stride(d);
            os[d] = other.stride(d);
        }
        try (DeviceBuffer err = errorWord(be)) {
            KernelArgs a = new KernelArgs().i32(scatter ? 1 : 0).ptr(addr(x)).i32(x.dtype().ordinal()).layout(shape, xs)
                    .i64(x.stride(dim)).i32(x.size(dim)).ptr(addr(index)).layout(shape, is)
                    .ptr(addr(other)).i32(other.dtype().ordinal()).layout(shape, os).i64(n).ptr(err.address());
            be.launcher().elementwise("index", "gw_gather_scatter", n, a);
            checkError(be, err, op, x.size(dim));
        }
    }

    private static long inner(Tensor t, int dim) {
        long inner = 1;
        for (int d = dim + 1; d < t.dim(); d++) inner *= t.size(d);
        return inner;
    }

    static void indexSelect(CudaBackend be, Tensor x, int dim, Tensor index, Tensor out) {
        requireI64("index_select", index);
        long n = out.numel();
        if (n == 0) return;
        Tensor xd = be.dense(x), id = be.dense(index), od = be.dense(out);
        try (DeviceBuffer err = errorWord(be)) {
            int size = x.size(dim), k = index.numel();
            long inner = inner(x, dim);
            KernelArgs a = new KernelArgs().ptr(addr(xd));
            if (x.dtype() == DType.F32) {
                a.ptr(addr(id)).ptr(addr(od)).i32(size).i32(k).i64(inner).i64(n).ptr(err.address());
                be.launcher().elementwise("index", "gw_index_select_f32", n, a);
            } else {
                a.i32(x.dtype().ordinal()).ptr(addr(id)).ptr(addr(od)).i32(size).i32(k).i64(inner).i64(n).ptr(err.address());
                be.launcher().elementwise("index", "gw_index_select_generic", n, a);
            }
            checkError(be, err, "index_select", size);
            if (od != out) be.copy(od, out);
        } finally {
            CudaBackend.closeIfCopy(xd, x);
            CudaBackend.closeIfCopy(id, index);
            CudaBackend.closeIfCopy(od, out);
        }
    }

    static void indexAdd(CudaBackend be, Tensor dst, int dim, Tensor index, Tensor src) {
        requireI64("index_add", index);
        long n = src.numel();
        if (n == 0) return;
        if (src.dtype() != dst.dtype()) throw new IllegalArgumentException("index_add: src " + src.dtype() + " and dst " + dst.dtype() + " differ");
        Tensor dd = be.dense(dst), id = be.dense(index), sd = be.dense(src);
        try (DeviceBuffer err = errorWord(be)) {
            int size = dst.size(dim), k = index.numel();
            KernelArgs a = new KernelArgs().ptr(addr(dd)).i32(dst.dtype().ordinal()).ptr(addr(id)).ptr(addr(sd))
                    .i32(size).i32(k).i64(inner(dst, dim)).i64(n).ptr(err.address());
            be.launcher().elementwise("index", "gw_index_add", n, a);
            checkError(be, err, "index_add", size);
            if (dd != dst) be.copy(dd, dst);
        } finally {
            CudaBackend.closeIfCopy(dd, dst);
            CudaBackend.closeIfCopy(id, index);
            CudaBackend.closeIfCopy(sd, src);
        }
    }
}

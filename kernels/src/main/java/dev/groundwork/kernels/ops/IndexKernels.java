package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.KernelArgs;
import dev.groundwork.kernels.memory.DeviceBuffer;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/**
 * Host side of index.cu, behind gather, scatter_add, index_select and index_add. Each launch gets a
 * zeroed error word; an out-of-range index sets it and the host, reading it back, throws naming the
 * op (the CPU backend's behaviour), at the cost of one small synchronous read per call.
 */
public final class IndexKernels {
    private IndexKernels() {}

    static final String FILE = "index";
    static final EntryPoint GATHER_SCATTER = EntryPoint.of(FILE, "gw_gather_scatter",
            I32, PTR, I32, LAYOUT, I64, I32, PTR, LAYOUT, PTR, I32, LAYOUT, I64, PTR);
    static final EntryPoint INDEX_SELECT_F32 = EntryPoint.of(FILE, "gw_index_select_f32", PTR, PTR, PTR, I32, I32, I64, I64, PTR);
    static final EntryPoint INDEX_SELECT_GENERIC = EntryPoint.of(FILE, "gw_index_select_generic", PTR, I32, PTR, PTR, I32, I32, I64, I64, PTR);
    static final EntryPoint INDEX_ADD = EntryPoint.of(FILE, "gw_index_add", PTR, I32, PTR, PTR, I32, I32, I64, I64, PTR);

    private static void requireI64(String op, Tensor index) {
        if (index.dtype() != DType.I64) throw new IllegalArgumentException(op + ": index must be I64, got " + index.dtype());
    }

    private static DeviceBuffer errorWord(CudaDevice dev) {
        DeviceBuffer err = dev.scratch(4);
        dev.tensors().zero(err.address(), 4, "index error word");
        return err;
    }

    private static void checkError(CudaDevice dev, DeviceBuffer err, String op, int bound) {
        int[] flag = new int[1];
        dev.context().staging().download(err.address(), flag, 4);
        if (flag[0] != 0) throw new IndexOutOfBoundsException(op + ": an index is out of range [0, " + bound + ")");
    }

    /** gather (scatter false: other = out) or scatter_add (scatter true: x = dst, other = src) along dim. */
    public static void gatherScatter(CudaDevice dev, boolean scatter, Tensor x, int dim, Tensor index, Tensor other) {
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
        try (DeviceBuffer err = errorWord(dev)) {
            KernelArgs a = GATHER_SCATTER.args().i32(scatter ? 1 : 0).ptr(addr(x)).i32(x.dtype().ordinal()).layout(shape, xs)
                    .i64(x.stride(dim)).i32(x.size(dim)).ptr(addr(index)).layout(shape, is)
                    .ptr(addr(other)).i32(other.dtype().ordinal()).layout(shape, os).i64(n).ptr(err.address());
            dev.launcher().elementwise(a, n);
            checkError(dev, err, op, x.size(dim));
        }
    }

    private static long inner(Tensor t, int dim) {
        long inner = 1;
        for (int d = dim + 1; d < t.dim(); d++) inner *= t.size(d);
        return inner;
    }

    public static void indexSelect(CudaDevice dev, Tensor x, int dim, Tensor index, Tensor out) {
        requireI64("index_select", index);
        long n = out.numel();
        if (n == 0) return;
        Tensor xd = dev.dense(x), id = dev.dense(index), od = dev.dense(out);
        try (DeviceBuffer err = errorWord(dev)) {
            int size = x.size(dim), k = index.numel();
            long inner = inner(x, dim);
            KernelArgs a;
            if (x.dtype() == DType.F32) {
                a = INDEX_SELECT_F32.args().ptr(addr(xd)).ptr(addr(id)).ptr(addr(od)).i32(size).i32(k).i64(inner).i64(n).ptr(err.address());
            } else {
                a = INDEX_SELECT_GENERIC.args().ptr(addr(xd)).i32(x.dtype().ordinal()).ptr(addr(id)).ptr(addr(od)).i32(size).i32(k)
                        .i64(inner).i64(n).ptr(err.address());
            }
            dev.launcher().elementwise(a, n);
            checkError(dev, err, "index_select", size);
            if (od != out) dev.copy(od, out);
        } finally {
            closeIfCopy(xd, x);
            closeIfCopy(id, index);
            closeIfCopy(od, out);
        }
    }

    public static void indexAdd(CudaDevice dev, Tensor dst, int dim, Tensor index, Tensor src) {
        requireI64("index_add", index);
        long n = src.numel();
        if (n == 0) return;
        if (src.dtype() != dst.dtype()) throw new IllegalArgumentException("index_add: src " + src.dtype() + " and dst " + dst.dtype() + " differ");
        Tensor dd = dev.dense(dst), id = dev.dense(index), sd = dev.dense(src);
        try (DeviceBuffer err = errorWord(dev)) {
            int size = dst.size(dim), k = index.numel();
            KernelArgs a = INDEX_ADD.args().ptr(addr(dd)).i32(dst.dtype().ordinal()).ptr(addr(id)).ptr(addr(sd))
                    .i32(size).i32(k).i64(inner(dst, dim)).i64(n).ptr(err.address());
            dev.launcher().elementwise(a, n);
            checkError(dev, err, "index_add", size);
            if (dd != dst) dev.copy(dd, dst);
        } finally {
            closeIfCopy(dd, dst);
            closeIfCopy(id, index);
            closeIfCopy(sd, src);
        }
    }
}

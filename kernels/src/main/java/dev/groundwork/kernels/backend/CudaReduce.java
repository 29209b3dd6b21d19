package dev.groundwork.kernels.backend;

import dev.groundwork.engine.backend.ReduceOp;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.KernelArgs;

import static dev.groundwork.kernels.backend.CudaBackend.addr;

/** Host side of reduce.cu: x viewed as [outer, len, inner] around the reduced dim. */
final class CudaReduce {
    private CudaReduce() {}

    static void reduce(CudaBackend be, ReduceOp op, Tensor x, int dim, Tensor out, Tensor indices) {
        if (out.numel() == 0) return;
        Tensor xd = be.dense(x);
        Tensor od = be.dense(out), id = be.dense(indices);
        try {
            int len = x.size(dim), outer = 1, inner = 1;
            for (int d = 0; d < dim; d++) outer *= x.size(d);
            for (int d = dim + 1; d < x.dim(); d++) inner *= x.size(d);
            if (len == 0) throw new IllegalArgumentException("reduce " + op + " over an empty dim " + dim);
            long idx = indices == null ? 0 : addr(id);
            if (x.dtype() == DType.F32 && out.dtype() == DType.F32) {
                if (inner == 1) {
                    KernelArgs a = new KernelArgs().i32(op.ordinal()).ptr(addr(xd)).ptr(addr(od)).ptr(idx).i32(len);
                    be.launcher().launch("reduce", "gw_reduce_rows_f32", outer, 1, 1, 256, 1, 1, 0, a);
                } else {
                    KernelArgs a = new KernelArgs().i32(op.ordinal()).ptr(addr(xd)).ptr(addr(od)).ptr(idx).i32(outer).i32(len).i32(inner);
                    be.launcher().elementwise("reduce", "gw_reduce_cols_f32", (long) outer * inner, a);
                }
            } else {
                KernelArgs a = new KernelArgs().i32(op.ordinal()).ptr(addr(xd)).i32(x.dtype().ordinal()).ptr(addr(od)).i32(out.dtype().ordinal())
                        .ptr(idx).i32(outer).i32(len).i32(inner);
                be.launcher().elementwise("reduce", "gw_reduce_generic", (long) outer * inner, a);
            }
            if (od != out) be.copy(od, out);
            if (id != indices) be.copy(id, indices);
        } finally {
            CudaBackend.closeIfCopy(xd, x);
            CudaBackend.closeIfCopy(od, out);
            CudaBackend.closeIfCopy(id, indices);
        }
    }
}

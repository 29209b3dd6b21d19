package dev.groundwork.kernels.backend;

import dev.groundwork.engine.backend.ReduceOp;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.KernelArgs;

import static dev.groundwork.kernels.backend.CudaBackend.addr;

/** Host side of reduce.cu: x viewed as [outer, len, inner] around the reduced dim. */
final class CudaReduce {
    private CudaReduce() {}

    /** Rows at least this long are summed in two stages when there is only one (a sum over everything). */
    static final int LONG_ROW = 1 << 16;

    /**
     * Σ x[0..len) for one long row. One block per row would leave all but one SM idle (a 25M-element
     * loss sum took 20 ms on an H200), so: the first q·C elements viewed as [q, C] are summed down
     * the columns by C threads (coalesced), the C partials by one block, the tail (< C) by another,
     * and the two added. Only the already-tested column, row and binary kernels are used.
     */
    private static void sumLongRow(CudaBackend be, long x, int len, Tensor out) {
        int c = len >= 4 * 65536 ? 65536 : 4096;
        int q = len / c, r = len - q * c;
        try (Tensor partial = be.empty(DType.F32, c); Tensor tail = be.empty(DType.F32, 1)) {
            be.launcher().elementwise("reduce", "gw_reduce_cols_f32", c,
                    new KernelArgs().i32(ReduceOp.SUM.ordinal()).ptr(x).ptr(addr(partial)).ptr(0).i32(1).i32(q).i32(c));
            be.launcher().launch("reduce", "gw_reduce_rows_f32", 1, 1, 1, 256, 1, 1, 0,
                    new KernelArgs().i32(ReduceOp.SUM.ordinal()).ptr(addr(partial)).ptr(addr(out)).ptr(0).i32(c));
            if (r > 0) {
                be.launcher().launch("reduce", "gw_reduce_rows_f32", 1, 1, 1, 256, 1, 1, 0,
                        new KernelArgs().i32(ReduceOp.SUM.ordinal()).ptr(x + (long) q * c * Float.BYTES).ptr(addr(tail)).ptr(0).i32(r));
                try (Tensor o = out.asStrided(new int[]{1}, new int[]{1}, out.offset())) {
                    be.binary(dev.groundwork.engine.backend.BinaryOp.ADD, o, tail, o);
                }
            }
        }
    }

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
            if (op == ReduceOp.SUM && outer == 1 && inner == 1 && indices == null && len >= LONG_ROW
                    && x.dtype() == DType.F32 && out.dtype() == DType.F32) {
                sumLongRow(be, addr(xd), len, od);
            } else if (x.dtype() == DType.F32 && out.dtype() == DType.F32) {
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

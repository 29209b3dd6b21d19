package dev.groundwork.kernels.ops;

import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.ReduceOp;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaDefine;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.KernelArgs;

import static dev.groundwork.kernels.cuda.DeviceTensors.addr;
import static dev.groundwork.kernels.cuda.DeviceTensors.closeIfCopy;
import static dev.groundwork.kernels.cuda.EntryPoint.Param.*;

/** Host side of reduce.cu, behind {@code Backend.reduce}: x viewed as [outer, len, inner] around the reduced dim. */
public final class ReduceKernels {
    private ReduceKernels() {}

    static final String FILE = "reduce";
    static final EntryPoint ROWS_F32 = EntryPoint.of(FILE, "gw_reduce_rows_f32", I32, PTR, PTR, PTR, I32);
    static final EntryPoint COLS_F32 = EntryPoint.of(FILE, "gw_reduce_cols_f32", I32, PTR, PTR, PTR, I32, I32, I32);
    static final EntryPoint GENERIC = EntryPoint.of(FILE, "gw_reduce_generic", I32, PTR, I32, PTR, I32, PTR, I32, I32, I32);
    /** Threads of the one-block-per-row kernel, whose shared tree is sized for exactly this many. */
    @CudaDefine("GW_REDUCE_ROW_THREADS") static final int ROW_THREADS = 256;

    /** Rows at least this long are summed in two stages when there is only one (a sum over everything). */
    static final int LONG_ROW = 1 << 16;

    /**
     * Σ x[0..len) for one long row. One block per row would leave all but one SM idle (a 25M-element
     * loss sum took 20 ms on an H200), so: the first q·C elements viewed as [q, C] are summed down
     * the columns by C threads (coalesced), the C partials by one block, the tail (< C) by another,
     * and the two added. Only the already-tested column, row and binary kernels are used.
     */
    private static void sumLongRow(CudaDevice dev, long x, int len, Tensor out) {
        int c = len >= 4 * 65536 ? 65536 : 4096;
        int q = len / c, r = len - q * c;
        try (Tensor partial = dev.empty(DType.F32, c); Tensor tail = dev.empty(DType.F32, 1)) {
            dev.launcher().elementwise(COLS_F32.args().i32(ReduceOp.SUM.ordinal()).ptr(x).ptr(addr(partial)).ptr(0).i32(1).i32(q).i32(c), c);
            dev.launcher().launch(ROWS_F32.args().i32(ReduceOp.SUM.ordinal()).ptr(addr(partial)).ptr(addr(out)).ptr(0).i32(c),
                    1, 1, 1, ROW_THREADS, 1, 1, 0);
            if (r > 0) {
                dev.launcher().launch(ROWS_F32.args().i32(ReduceOp.SUM.ordinal()).ptr(x + (long) q * c * Float.BYTES).ptr(addr(tail)).ptr(0).i32(r),
                        1, 1, 1, ROW_THREADS, 1, 1, 0);
                try (Tensor o = out.asStrided(new int[]{1}, new int[]{1}, out.offset())) {
                    dev.binary(BinaryOp.ADD, o, tail, o);
                }
            }
        }
    }

    /**
     * The column sums [D] of t (contiguous CUDA float32, D its last dim) over all its rows: a bias's
     * gradient from its output's (bias_gelu.cu, bias_dropout_add.cu). A new tensor, the caller's.
     */
    public static Tensor columnSums(CudaDevice dev, Tensor t, int d) {
        int rows = t.numel() / d;
        Tensor out = dev.empty(DType.F32, 1, d);
        try (Tensor rows2d = t.asStrided(new int[]{rows, d}, new int[]{d, 1}, t.offset())) {
            reduce(dev, ReduceOp.SUM, rows2d, 0, out, null);
            return out.asStrided(new int[]{d}, new int[]{1}, 0);
        } finally {
            out.close();
        }
    }

    public static void reduce(CudaDevice dev, ReduceOp op, Tensor x, int dim, Tensor out, Tensor indices) {
        if (out.numel() == 0) return;
        Tensor xd = dev.dense(x);
        Tensor od = dev.dense(out), id = dev.dense(indices);
        try {
            int len = x.size(dim), outer = 1, inner = 1;
            for (int d = 0; d < dim; d++) outer *= x.size(d);
            for (int d = dim + 1; d < x.dim(); d++) inner *= x.size(d);
            if (len == 0) throw new IllegalArgumentException("reduce " + op + " over an empty dim " + dim);
            long idx = indices == null ? 0 : addr(id);
            if (op == ReduceOp.SUM && outer == 1 && inner == 1 && indices == null && len >= LONG_ROW
                    && x.dtype() == DType.F32 && out.dtype() == DType.F32) {
                sumLongRow(dev, addr(xd), len, od);
            } else if (x.dtype() == DType.F32 && out.dtype() == DType.F32) {
                if (inner == 1) {
                    KernelArgs a = ROWS_F32.args().i32(op.ordinal()).ptr(addr(xd)).ptr(addr(od)).ptr(idx).i32(len);
                    dev.launcher().launch(a, outer, 1, 1, ROW_THREADS, 1, 1, 0);
                } else {
                    KernelArgs a = COLS_F32.args().i32(op.ordinal()).ptr(addr(xd)).ptr(addr(od)).ptr(idx).i32(outer).i32(len).i32(inner);
                    dev.launcher().elementwise(a, (long) outer * inner);
                }
            } else {
                KernelArgs a = GENERIC.args().i32(op.ordinal()).ptr(addr(xd)).i32(x.dtype().ordinal()).ptr(addr(od)).i32(out.dtype().ordinal())
                        .ptr(idx).i32(outer).i32(len).i32(inner);
                dev.launcher().elementwise(a, (long) outer * inner);
            }
            if (od != out) dev.copy(od, out);
            if (id != indices) dev.copy(id, indices);
        } finally {
            closeIfCopy(xd, x);
            closeIfCopy(od, out);
            closeIfCopy(id, indices);
        }
    }
}

package dev.groundwork.engine.cpu;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

/** Gathers and scatters along a dim. Indices are range-checked: a bad id names itself and the bound. */
final class CpuIndex {
    private CpuIndex() {}

    private static int check(long i, int bound, String what) {
        if (i < 0 || i >= bound) throw new IndexOutOfBoundsException(what + " index " + i + " out of range [0, " + bound + ")");
        return (int) i;
    }

    /** gather (scatter=false): out[p] = x[p with dim -> index[p]]; scatter-add: x[...] += src[p]. */
    static void gatherScatter(boolean scatter, Tensor x, int dim, Tensor index, Tensor other) {
        CpuStorage xs = CpuBackend.cpu(x), is = CpuBackend.cpu(index), os = CpuBackend.cpu(other);
        int[] xStrides = x.strides();
        int step = xStrides[dim], bound = x.size(dim);
        xStrides[dim] = 0;
        int[][] strides = {xStrides, index.strides(), other.strides()};
        int[] offsets = {x.offset(), index.offset(), other.offset()};
        // Scatter must not race on colliding targets: it runs serially.
        Rows rows = new Rows(index.shape(), strides, offsets);
        for (int r = 0; r < rows.rows; r++) {
            if (r > 0) rows.advance();
            int sx = rows.innerStride(0), si = rows.innerStride(1), so = rows.innerStride(2);
            for (int j = 0; j < rows.rowLength; j++) {
                int k = check((long) is.get(rows.off[1] + j * si), bound, "gather/scatter");
                int xp = rows.off[0] + j * sx + k * step, op = rows.off[2] + j * so;
                if (scatter) xs.set(xp, xs.get(xp) + os.get(op));
                else os.set(op, xs.get(xp));
            }
        }
    }

    /**
     * Along dim 0 of two row-major float32 tensors each index moves one whole row of {@code numel / size(0)}
     * contiguous floats: the embedding lookup and its gradient. Those run as array copies and adds
     * instead of one strided view and kernel call per row.
     */
    private static boolean rowMajorRows(int dim, Tensor a, Tensor b) {
        return dim == 0 && a.dtype() == DType.F32 && b.dtype() == DType.F32 && a.isContiguous() && b.isContiguous();
    }

    static void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        long[] ids = (long[]) CpuBackend.INSTANCE.download(index);
        int bound = x.size(dim);
        if (rowMajorRows(dim, x, out) && bound > 0) {
            int row = x.numel() / bound, xo = x.offset(), oo = out.offset();
            float[] xs = CpuBackend.cpu(x).f32(), os = CpuBackend.cpu(out).f32();
            CpuThreads.parallelFor(0, ids.length, Math.max(1, 4096 / Math.max(1, row)), (from, to) -> {
                for (int i = from; i < to; i++)
                    System.arraycopy(xs, xo + check(ids[i], bound, "index_select") * row, os, oo + i * row, row);
            });
            return;
        }
        CpuThreads.parallelFor(0, ids.length, Math.max(1, 4096 / Math.max(1, out.numel() / Math.max(ids.length, 1))), (from, to) -> {
            for (int i = from; i < to; i++)
                CpuElementwise.copy(CpuBackend.select(x, dim, check(ids[i], bound, "index_select")), CpuBackend.select(out, dim, i));
        });
    }

    static void indexAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        long[] ids = (long[]) CpuBackend.INSTANCE.download(index);
        int bound = dst.size(dim);
        if (rowMajorRows(dim, dst, src) && bound > 0) {
            // Serial: two indices may name the same row.
            int row = dst.numel() / bound, d0 = dst.offset(), s0 = src.offset();
            float[] d = CpuBackend.cpu(dst).f32(), s = CpuBackend.cpu(src).f32();
            for (int i = 0; i < ids.length; i++) {
                int dr = d0 + check(ids[i], bound, "index_add") * row, sr = s0 + i * row;
                for (int j = 0; j < row; j++) d[dr + j] += s[sr + j];
            }
            return;
        }
        for (int i = 0; i < ids.length; i++) {
            Tensor d = CpuBackend.select(dst, dim, check(ids[i], bound, "index_add"));
            CpuElementwise.binary(dev.groundwork.engine.backend.BinaryOp.ADD, d, CpuBackend.select(src, dim, i), d);
        }
    }
}

package dev.groundwork.engine.cpu;

import dev.groundwork.engine.backend.ReduceOp;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

/** Reductions along one dim; sums accumulate in double so long rows keep float32 accuracy. */
final class CpuReduce {
    private CpuReduce() {}

    static void reduce(ReduceOp op, Tensor x, int dim, Tensor out, Tensor indices) {
        CpuStorage xs = CpuBackend.cpu(x), os = CpuBackend.cpu(out);
        CpuStorage is = indices == null ? null : CpuBackend.cpu(indices);
        int len = x.size(dim), step = x.stride(dim);
        int[] xStrides = x.strides();
        xStrides[dim] = 0;
        int[][] strides = indices == null ? new int[][]{xStrides, out.strides()} : new int[][]{xStrides, out.strides(), indices.strides()};
        int[] offsets = indices == null ? new int[]{x.offset(), out.offset()} : new int[]{x.offset(), out.offset(), indices.offset()};
        boolean f32 = x.dtype() == DType.F32;
        CpuElementwise.forRows(out.shape(), strides, offsets, out.numel() * Math.max(len, 1), (rows, n) -> {
            int sx = rows.innerStride(0), so = rows.innerStride(1), si = indices == null ? 0 : rows.innerStride(2);
            for (int j = 0; j < n; j++) {
                int base = rows.off[0] + j * sx;
                int o = rows.off[1] + j * so;
                if (op == ReduceOp.SUM) {
                    double acc = 0;
                    if (f32) {
                        float[] a = xs.f32();
                        for (int k = 0; k < len; k++) acc += a[base + k * step];
                    } else {
                        for (int k = 0; k < len; k++) acc += xs.get(base + k * step);
                    }
                    os.set(o, acc);
                } else {
                    boolean max = op == ReduceOp.MAX;
                    double best = xs.get(base);
                    int arg = 0;
                    for (int k = 1; k < len && !Double.isNaN(best); k++) {
                        double v = xs.get(base + k * step);
                        if (Double.isNaN(v) || (max ? v > best : v < best)) {
                            best = v;
                            arg = k;
                        }
                    }
                    os.set(o, best);
                    if (is != null) is.set(rows.off[2] + j * si, arg);
                }
            }
        });
    }
}

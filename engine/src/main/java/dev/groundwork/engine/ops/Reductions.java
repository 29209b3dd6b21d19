package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.backend.ReduceOp;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.Arrays;

/** Reductions along dims, each with its backward. */
public final class Reductions {
    private Reductions() {}

    /** Values and positions of a max/min along a dim. */
    public record ValuesIndices(Tensor values, Tensor indices) {}

    private static int[] keptShape(Tensor x, int dim) {
        int[] s = x.shape();
        s[dim] = 1;
        return s;
    }

    /** Kernel-level sum along dim with the dim kept (size 1); no autograd. */
    static Tensor sumKernel(Tensor x, int dim) {
        Tensor out = Out.like(x, keptShape(x, dim));
        x.backend().reduce(ReduceOp.SUM, x, dim, out, null);
        return out;
    }

    public static Tensor sum(Tensor x, int dim, boolean keepDim) {
        int d = Shape.dim(dim, x.dim());
        Out.floating("sum", x);
        Tensor y = sumKernel(x, d);
        int[] in = x.shape();
        Tensor r = Autograd.record("sum", y, new Tensor[]{x}, g -> new Tensor[]{g.expand(in).contiguous()});
        return keepDim ? r : r.squeeze(d);
    }

    public static Tensor sumAll(Tensor x) {
        if (x.dim() == 0) return x;
        return sum(x.reshape(x.numel()), 0, false);
    }

    public static Tensor mean(Tensor x, int dim, boolean keepDim) {
        int n = x.size(dim);
        return sum(x, dim, keepDim).div(n);
    }

    public static Tensor meanAll(Tensor x) { return sumAll(x).div(Math.max(x.numel(), 1)); }

    public static ValuesIndices max(Tensor x, int dim, boolean keepDim) { return extreme(ReduceOp.MAX, x, dim, keepDim); }

    public static ValuesIndices min(Tensor x, int dim, boolean keepDim) { return extreme(ReduceOp.MIN, x, dim, keepDim); }

    public static Tensor maxAll(Tensor x) { return max(x.reshape(x.numel()), 0, false).values(); }

    private static ValuesIndices extreme(ReduceOp op, Tensor x, int dim, boolean keepDim) {
        int d = Shape.dim(dim, x.dim());
        if (x.size(d) == 0) throw new IllegalArgumentException(op + " over an empty dim " + d + " of " + Shape.str(x.shape()));
        int[] ks = keptShape(x, d);
        Tensor values = Out.like(x, ks);
        Tensor idx = Out.like(x, DType.I64, ks);
        x.backend().reduce(op, x, d, values, idx);
        int[] in = x.shape();
        // The gradient flows to the position that won (first one on ties).
        Tensor v = Autograd.record(op.name().toLowerCase(), values, new Tensor[]{x}, g -> {
            Tensor gx = Tensor.zeros(g.dtype(), g.device(), in);
            g.backend().scatterAdd(gx, d, idx, g.contiguous());
            return new Tensor[]{gx};
        });
        return keepDim ? new ValuesIndices(v, idx) : new ValuesIndices(v.squeeze(d), idx.squeeze(d));
    }

    /** Variance along dim; unbiased divides by n-1 (Bessel), as torch.var does by default. */
    public static Tensor var(Tensor x, int dim, boolean unbiased, boolean keepDim) {
        int n = x.size(dim);
        Tensor centered = x.sub(mean(x, dim, true));
        return sum(centered.square(), dim, keepDim).div(unbiased ? n - 1 : n);
    }

    /** Sums a broadcast gradient back to the shape of the operand it was broadcast from. */
    public static Tensor sumToShape(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        Tensor r = g;
        for (int d = 0; d < gs.length; d++) {
            boolean leading = d < lead;
            if (leading || (shape[d - lead] == 1 && gs[d] != 1)) r = sum(r, d, true);
        }
        return r.reshape(shape);
    }
}

package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/** matmul with broadcast batch dims, and the linear layer. */
public final class LinearAlgebra {
    private LinearAlgebra() {}

    /**
     * torch.matmul semantics: 1-D operands are promoted to a row (left) or column (right) and the
     * added dim removed afterwards; batch dims broadcast. Backward multiplies by transposed views,
     * which the backends turn into GEMM transpose flags.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Out.sameDevice("matmul", a, b);
        Out.sameDType("matmul", a, b);
        if (a.dim() == 0 || b.dim() == 0) throw new IllegalArgumentException("matmul: both operands need at least one dim");
        if (a.dim() == 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
        if (b.dim() == 1) return matmul(a, b.unsqueeze(-1)).squeeze(-1);
        int k = a.size(-1);
        if (b.size(-2) != k)
            throw new IllegalArgumentException("matmul: " + Shape.str(a.shape()) + " @ " + Shape.str(b.shape()) + ": inner dims " + k + " and " + b.size(-2) + " differ");
        int[] as = a.shape(), bs = b.shape();
        int[] batchA = java.util.Arrays.copyOf(as, as.length - 2), batchB = java.util.Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shape.broadcast(batchA, batchB);
        int m = a.size(-2), n = b.size(-1);
        int[] outShape = concat(batch, m, n);
        Tensor out = Out.written(a, outShape);
        if (k == 0) {
            a.backend().fill(out, 0);
        } else {
            a.backend().matmul(Elementwise.rawExpand(a, concat(batch, m, k)), Elementwise.rawExpand(b, concat(batch, k, n)), out);
        }
        return Autograd.record("matmul", out, new Tensor[]{a, b}, g -> new Tensor[]{
                a.requiresGrad() ? Reductions.sumToShape(matmul(g, b.mT()), as) : null,
                b.requiresGrad() ? Reductions.sumToShape(matmul(a.mT(), g), bs) : null});
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    /**
     * y = x W^T + b over the last dim of x (any leading dims), as one autograd node. The leading dims
     * are folded into one GEMM. Backward: dx = g W, dW = g^T x (one [out, in] GEMM over all rows,
     * written contiguous, so it becomes W's .grad without a copy; through matmul of W^T it arrived as
     * a transposed view and was copied element by element), db = the column sums of g.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Out.rank("linear", "weight", weight, 2);
        int in = weight.size(1), outF = weight.size(0);
        if (x.size(-1) != in)
            throw new IllegalArgumentException("linear: input " + Shape.str(x.shape()) + " has last dim " + x.size(-1) + ", weight " + Shape.str(weight.shape()) + " expects " + in);
        if (bias != null) Out.shape("linear", "bias", bias, outF);
        int[] xs = x.shape();
        int[] ys = xs.clone();
        ys[ys.length - 1] = outF;
        Tensor x2 = x.reshape(-1, in);
        Tensor y;
        try (var s = GradMode.noGrad()) {
            y = x2.matmul(weight.mT());
            // x Wᵀ is not saved for the backward: closed once the biased output exists, not at the step's end.
            if (bias != null) y = Out.consumed(y, xw -> xw.add(bias));
        }
        y = Autograd.record("linear", y, new Tensor[]{x2, weight, bias}, g -> new Tensor[]{
                x2.requiresGrad() ? g.matmul(weight) : null,
                weight.requiresGrad() ? g.mT().matmul(x2) : null,
                bias != null && bias.requiresGrad() ? g.sum(0, false) : null});
        return y.reshape(ys);
    }
}

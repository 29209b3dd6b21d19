package dev.groundwork.engine.optim;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.tensor.Tensor;

import java.util.List;

/** Gradient clipping, in place on {@code param.grad()}; parameters without a gradient are skipped. */
public final class GradClip {
    private GradClip() {}

    /** {@link #clipGradNorm(List, double, double)} with the 2-norm. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) { return clipGradNorm(params, maxNorm, 2); }

    /**
     * torch.nn.utils.clip_grad_norm_: the norm of all gradients together (the norm of the per-tensor
     * norms) is computed; if maxNorm / (total + 1e-6) is below 1, every gradient is scaled by it.
     * The 1e-6 keeps the clipped norm just under maxNorm and avoids dividing by zero.
     * normType may be {@code Double.POSITIVE_INFINITY} (largest absolute value).
     * A non-finite total leaves the gradients as they are (torch would turn them into NaN); check
     * the returned value to skip such a step.
     *
     * @return the total norm before clipping (0 when no parameter has a gradient)
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        if (!(normType > 0)) throw new IllegalArgumentException("normType must be > 0, got " + normType);
        try (var s = GradMode.noGrad(); var tmp = new Temps()) {
            boolean inf = normType == Double.POSITIVE_INFINITY;
            double acc = 0;
            for (Tensor p : params) {
                if (p.grad() == null) continue;
                double n = norm(p.grad(), normType, tmp);
                acc = inf ? Math.max(acc, n) : acc + Math.pow(n, normType);
            }
            double total = inf ? acc : Math.pow(acc, 1 / normType);
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) for (Tensor p : params) if (p.grad() != null) p.grad().copy_(tmp.of(p.grad().mul(coef)));
            return total;
        }
    }

    /**
     * Clips each gradient's 2-norm to maxNorm on its own, as pytorch-pretrained-bert's BertAdam
     * does per parameter. Returns each gradient's norm before clipping (0 for a missing one).
     */
    public static double[] clipGradNormPerTensor(List<Tensor> params, double maxNorm) {
        double[] norms = new double[params.size()];
        for (int i = 0; i < norms.length; i++) norms[i] = clipGradNorm(List.of(params.get(i)), maxNorm);
        return norms;
    }

    /** torch.nn.utils.clip_grad_value_: clamps every gradient element to [-clip, clip]. */
    public static void clipGradValue(List<Tensor> params, double clip) {
        if (!(clip >= 0)) throw new IllegalArgumentException("clip must be >= 0, got " + clip);
        try (var s = GradMode.noGrad(); var tmp = new Temps()) {
            for (Tensor p : params) if (p.grad() != null) p.grad().copy_(tmp.of(p.grad().clamp(-clip, clip)));
        }
    }

    private static double norm(Tensor g, double p, Temps tmp) {
        if (p == Double.POSITIVE_INFINITY) return tmp.of(tmp.of(g.abs()).max()).item();
        if (p == 2) return Math.sqrt(tmp.of(tmp.of(g.square()).sum()).item());
        if (p == 1) return tmp.of(tmp.of(g.abs()).sum()).item();
        return Math.pow(tmp.of(tmp.of(tmp.of(g.abs()).pow(p)).sum()).item(), 1 / p);
    }
}

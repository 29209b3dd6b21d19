package dev.groundwork.engine.optim;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Gradient clipping, in place on {@code param.grad()}; parameters without a gradient are skipped. */
public final class GradClip {
    private GradClip() {}

    /**
     * A backend's sums of squares for the 2-norm ({@code backend().kernel(SquaredNormKernel.class)});
     * absent, each is composed as {@code g.square().sum()}. The CPU's sums as that composition does
     * (same numbers, no parameter-sized square); CUDA's with sq_norm.cu's deterministic two-stage
     * sum, all tensors before one read-back.
     */
    public interface SquaredNormKernel {
        /** Σ x² of each tensor, in order, or null when this kernel does not cover them all (device, dtype, layout). */
        double[] squaredNorms(List<Tensor> tensors);
    }

    /** {@link #clipGradNorm(List, double, double)} with the 2-norm. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) { return clipGradNorm(params, maxNorm, 2); }

    /**
     * torch.nn.utils.clip_grad_norm_: the norm of all gradients together (the norm of the per-tensor
     * norms) is computed; if maxNorm / (total + 1e-6) is below 1, every gradient is scaled by it.
     * The 1e-6 keeps the clipped norm just under maxNorm and avoids dividing by zero.
     * normType may be {@code Double.POSITIVE_INFINITY} (largest absolute value).
     * A NaN total leaves the gradients as they are (torch would turn them into NaN); check
     * the returned value to skip such a step.
     *
     * @return the total norm before clipping (0 when no parameter has a gradient)
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        if (!(normType > 0)) throw new IllegalArgumentException("normType must be > 0, got " + normType);
        try (var s = GradMode.noGrad(); var tmp = new Temps()) {
            List<Tensor> grads = new ArrayList<>();
            for (Tensor p : params) if (p.grad() != null) grads.add(p.grad());
            double total = total(norms(grads, normType, tmp), normType);
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) for (Tensor g : grads) g.copy_(tmp.of(g.mul(coef)));
            return total;
        }
    }

    /**
     * The factor {@link #clipGradNorm} computes for a single gradient whose squared 2-norm is given,
     * with its arithmetic (it scales the gradient only when the factor is below 1): what a fused
     * BertAdam step applies per tensor.
     */
    public static double singleTensorClipFactor(double squaredNorm, double maxNorm) {
        return maxNorm / (total(new double[]{Math.sqrt(squaredNorm)}, 2) + 1e-6);
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

    /** The norm of the per-tensor norms (the largest for the infinity norm). */
    private static double total(double[] norms, double p) {
        boolean inf = p == Double.POSITIVE_INFINITY;
        double acc = 0;
        for (double n : norms) acc = inf ? Math.max(acc, n) : acc + Math.pow(n, p);
        return inf ? acc : Math.pow(acc, 1 / p);
    }

    /** Each gradient's p-norm; 2-norms from the backend's squared-norm kernel where it has one. */
    private static double[] norms(List<Tensor> grads, double p, Temps tmp) {
        if (p == 2 && !grads.isEmpty()) {
            SquaredNormKernel kernel = grads.get(0).backend().kernel(SquaredNormKernel.class);
            double[] squares = kernel == null ? null : kernel.squaredNorms(grads);
            if (squares != null) {
                for (int i = 0; i < squares.length; i++) squares[i] = Math.sqrt(squares[i]);
                return squares;
            }
        }
        double[] norms = new double[grads.size()];
        for (int i = 0; i < norms.length; i++) norms[i] = norm(grads.get(i), p, tmp);
        return norms;
    }

    private static double norm(Tensor g, double p, Temps tmp) {
        if (p == Double.POSITIVE_INFINITY) return tmp.of(tmp.of(g.abs()).max()).item();
        if (p == 2) return Math.sqrt(tmp.of(tmp.of(g.square()).sum()).item());
        if (p == 1) return tmp.of(tmp.of(g.abs()).sum()).item();
        return Math.pow(tmp.of(tmp.of(tmp.of(g.abs()).pow(p)).sum()).item(), 1 / p);
    }
}

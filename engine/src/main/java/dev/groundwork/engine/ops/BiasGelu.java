package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.tensor.Tensor;

/**
 * gelu(x + bias) as one autograd node: BERT's FFN up-projection after a linear layer run without
 * its bias, so that a backend can fuse the bias into the activation (CUDA: bias_gelu.cu).
 *
 * <p>Forward: t = x + bias (bias broadcast over the last dim), y = gelu(t). Backward: dt = g·gelu'(t),
 * dx = dt, dbias = the column sums of dt viewed as [rows, D]. The composition below is the same
 * sequence of primitive ops as {@code F.gelu(F.linear(x, W, bias))} (the bias gradient summed over
 * the rows in one reduction, as linear's is), so models that switch to it keep their numbers.
 */
public final class BiasGelu {
    private BiasGelu() {}

    /** A backend's fused bias + GELU ({@link dev.groundwork.engine.backend.Backend#kernel}); null from either means "compose". */
    public interface Kernel {
        /** gelu(x + bias) for x [..., D] and bias [D]; the backward gives {dx, dbias}. */
        FusedResult biasGelu(Tensor x, Tensor bias, boolean forBackward);
    }

    public static Tensor biasGelu(Tensor x, Tensor bias) {
        int d = checkBias("bias_gelu", x, bias);
        Kernel kernel = x.backend().kernel(Kernel.class);
        Tensor fused = kernel == null ? null : Fused.run("bias_gelu", kernel.biasGelu(x, bias, Autograd.needsGrad(x, bias)), x, bias);
        if (fused != null) return fused;
        Tensor t, y;
        try (var s = GradMode.noGrad()) {
            t = Elementwise.add(x, bias);
            y = Elementwise.unaryKernel(UnaryOp.GELU, t, 0, 0);
        }
        return Autograd.record("bias_gelu", y, new Tensor[]{x, bias}, g -> {
            Tensor dt = Elementwise.binaryKernel(BinaryOp.GELU_BWD, g, t, g.dtype());
            return new Tensor[]{dt, bias.requiresGrad() ? columnSums(dt, d) : null};
        });
    }

    /** D, the last dim of x, after checking that bias is [D] on x's device and dtype. */
    static int checkBias(String op, Tensor x, Tensor bias) {
        if (x.dim() == 0) throw new IllegalArgumentException(op + ": x must have at least one dim");
        if (bias == null) throw new IllegalArgumentException(op + ": a bias is required (a layer without one needs no fusion)");
        int d = x.size(-1);
        Out.shape(op, "bias", bias, d);
        Out.sameDevice(op, x, bias);
        Out.sameDType(op, x, bias);
        return d;
    }

    /** Σ over all leading dims of g [..., D], as one reduction over the rows of [rows, D]. */
    static Tensor columnSums(Tensor g, int d) { return Reductions.sum(g.reshape(-1, d), 0, false); }
}

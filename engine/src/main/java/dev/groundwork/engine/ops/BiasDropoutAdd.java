package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * residual + dropout(x + bias) as one autograd node: BERT's residual paths (after attention and after
 * the FFN) once their linear layer runs without its bias, so that a backend can fuse bias, dropout and
 * residual add into one pass (CUDA: bias_dropout_add.cu).
 *
 * <p>Forward: t = x + bias, y = residual + t·Z with Z = keep / (1 − p), the keep mask drawn exactly as
 * {@link Dropout} draws it (Bernoulli(1 − p) of Philox(seed, offset + i), i the row-major element of
 * x, in x's dtype), so a fused kernel regenerates it in its backward instead of storing it. Backward:
 * dt = g·Z, dx = dt, dbias = the column sums of dt as [rows, D], dresidual = g. Without dropout (eval,
 * or p = 0) Z is 1 and no random numbers are drawn, as with {@link Dropout}. The composition is the
 * same sequence of primitive ops as {@code F.dropout(F.linear(x, W, bias), p, ...).add(residual)}.
 */
public final class BiasDropoutAdd {
    private BiasDropoutAdd() {}

    /** A backend's fused bias + dropout + residual add; null from either means "compose". */
    public interface Kernel {
        /**
         * residual + dropout(x + bias) for x and residual [..., D], bias [D], dropout probability p in
         * [0, 1) (0: none); element i is kept when Philox(seed, offset + i) draws below 1 − p, as
         * {@code Backend.random(BERNOULLI)} does. The backward gives {dx, dbias, dresidual}.
         */
        FusedResult biasDropoutAdd(Tensor x, Tensor bias, Tensor residual, double p, long seed, long offset, boolean forBackward);
    }

    /**
     * @param p        probability of zeroing an element of x + bias, in [0, 1]
     * @param training dropout acts only in training
     * @param gen      the dropout stream (required when dropping); this call reserves x.numel() of it, as {@link Dropout} does
     */
    public static Tensor biasDropoutAdd(Tensor x, Tensor bias, Tensor residual, double p, boolean training, Generator gen) {
        int d = BiasGelu.checkBias("bias_dropout_add", x, bias);
        if (!java.util.Arrays.equals(residual.shape(), x.shape()))
            throw new IllegalArgumentException("bias_dropout_add: residual " + Shape.str(residual.shape()) + " must have x's shape " + Shape.str(x.shape()));
        Out.sameDevice("bias_dropout_add", x, residual);
        Out.sameDType("bias_dropout_add", x, residual);
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        boolean drop = training && p > 0;
        if (drop && p < 1 && gen == null) throw new IllegalArgumentException("dropout in training mode needs a generator");
        long seed = drop && p < 1 ? gen.seed() : 0;
        long offset = drop && p < 1 ? gen.reserve(x.numel()) : 0;
        Kernel kernel = drop && p == 1 ? null : x.backend().kernel(Kernel.class);
        Tensor fused = kernel == null ? null : Fused.run("bias_dropout_add",
                kernel.biasDropoutAdd(x, bias, residual, drop ? p : 0, seed, offset, Autograd.needsGrad(x, bias, residual)), x, bias, residual);
        if (fused != null) return fused;
        Tensor scale, y;
        try (var s = GradMode.noGrad()) {
            Tensor t = Elementwise.add(x, bias);
            scale = !drop ? null : p == 1 ? Tensor.zeros(t.dtype(), t.device()) : keepScale(t, p, seed, offset);
            // The backward reads only the scale: x + b and its dropped form go as soon as they are consumed.
            Tensor dropped = scale == null ? t : Out.consumed(t, tb -> Elementwise.binaryKernel(BinaryOp.MUL, tb, scale, tb.dtype()));
            y = Out.consumed(dropped, dr -> Elementwise.add(dr, residual));
        }
        return Autograd.record("bias_dropout_add", y, new Tensor[]{x, bias, residual}, g -> {
            Tensor dt = scale == null ? g : g.mul(scale);
            return new Tensor[]{dt, bias.requiresGrad() ? BiasGelu.columnSums(dt, d) : null, g};
        });
    }

    /** Z = keep / (1 − p) over t's shape and dtype, drawn as {@link Dropout} draws its mask. */
    private static Tensor keepScale(Tensor t, double p, long seed, long offset) {
        Tensor mask = Tensor.empty(t.dtype(), t.device(), t.shape());
        t.backend().random(mask, Backend.RandomKind.BERNOULLI, seed, offset, 1 - p, 0);
        return mask.mul(1 / (1 - p));
    }
}

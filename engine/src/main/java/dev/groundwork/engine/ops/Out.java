package dev.groundwork.engine.ops;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * Output allocation and argument checks shared by the ops, here and in the research-op packages
 * ({@code ops.vgbert}), so an op's errors read the same wherever it lives.
 */
public final class Out {
    private Out() {}

    /** A fresh contiguous tensor on like's device. */
    public static Tensor like(Tensor like, DType dtype, int... shape) { return Tensor.empty(dtype, like.device(), shape); }

    public static Tensor like(Tensor like, int... shape) { return Tensor.empty(like.dtype(), like.device(), shape); }

    /**
     * An output on like's device that the op's kernel overwrites in full (see {@link Tensor#uninitialized}):
     * the CPU backend may hand a released buffer back without zeroing it.
     */
    public static Tensor written(Tensor like, DType dtype, int... shape) { return Tensor.uninitialized(dtype, like.device(), shape); }

    public static Tensor written(Tensor like, int... shape) { return Tensor.uninitialized(like.dtype(), like.device(), shape); }

    /**
     * next(t), then t closed: for a temporary of a composite op that its backward does not read, so that
     * its memory goes as soon as it is consumed rather than when the enclosing scope closes. t must be a
     * fresh result the op owns alone (not an input, not a view of one, not saved for the backward).
     */
    public static Tensor consumed(Tensor t, java.util.function.UnaryOperator<Tensor> next) {
        Tensor r = next.apply(t);
        if (r != t) t.close();
        return r;
    }

    public static void sameDevice(String op, Tensor... ts) {
        Tensor first = null;
        for (Tensor t : ts) {
            if (t == null) continue;
            if (first == null) first = t;
            else if (!first.device().equals(t.device()))
                throw new IllegalArgumentException(op + ": operands on different devices (" + first.device() + " and " + t.device() + ")");
        }
    }

    public static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + " " + Shape.str(a.shape()) + " vs "
                    + b.dtype() + " " + Shape.str(b.shape()) + ")");
    }

    public static void floating(String op, Tensor t) {
        if (!t.dtype().isFloating()) throw new IllegalArgumentException(op + ": needs a floating tensor, got " + t.dtype());
    }

    public static void integral(String op, String what, Tensor t) {
        if (t.dtype().isFloating())
            throw new IllegalArgumentException(op + ": " + what + " must be an integer tensor (I64), got " + t.dtype());
    }

    public static void rank(String op, String what, Tensor t, int rank) {
        if (t.dim() != rank)
            throw new IllegalArgumentException(op + ": " + what + " must have rank " + rank + ", got shape " + Shape.str(t.shape()));
    }

    public static void shape(String op, String what, Tensor t, int... expected) {
        if (!Arrays.equals(t.shape(), expected))
            throw new IllegalArgumentException(op + ": " + what + " must have shape " + Shape.str(expected) + ", got " + Shape.str(t.shape()));
    }
}

package dev.groundwork.kernels.cuda;

import dev.groundwork.engine.ops.FusedResult;
import dev.groundwork.engine.tensor.Tensor;

import java.util.function.Function;

/**
 * A fused op's result whose backward runs once and releases the forward's saved state either way
 * (after the backward pass, or on {@link #close} when none comes).
 */
public final class ReleasingResult implements FusedResult {
    private final Tensor output;
    private final Function<Tensor, Tensor[]> backward;
    private final AutoCloseable[] saved;
    private boolean closed;

    private ReleasingResult(Tensor output, Function<Tensor, Tensor[]> backward, AutoCloseable[] saved) {
        this.output = output;
        this.backward = backward;
        this.saved = saved;
    }

    /** out with its backward, releasing saved (nulls allowed) once done. */
    public static FusedResult of(Tensor out, Function<Tensor, Tensor[]> backward, AutoCloseable... saved) {
        return new ReleasingResult(out, backward, saved);
    }

    @Override public Tensor output() { return output; }

    @Override public Tensor[] backward(Tensor g) {
        if (closed) throw new IllegalStateException("fused backward already ran (its saved state is released)");
        try {
            return backward.apply(g);
        } finally {
            close();
        }
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        for (AutoCloseable c : saved) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                throw new IllegalStateException("releasing fused state failed", e);
            }
        }
    }
}

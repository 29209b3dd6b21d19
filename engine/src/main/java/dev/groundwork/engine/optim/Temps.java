package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;

/**
 * Scratch tensors of one update, closed together at the end: the update formulas chain several
 * ops and each intermediate would otherwise hold device memory until the GC runs.
 */
final class Temps implements AutoCloseable {
    private final ArrayList<Tensor> owned = new ArrayList<>();

    /** Registers an intermediate this update created; never pass a parameter, grad or buffer. */
    Tensor of(Tensor t) {
        owned.add(t);
        return t;
    }

    /**
     * t / c as a true division: {@code Tensor.div(double)} multiplies by the reciprocal, which can
     * round differently from torch's {@code tensor / scalar}.
     */
    Tensor div(Tensor t, double c) {
        return of(t.div(of(Tensor.full(c, t.dtype(), t.device()))));
    }

    @Override
    public void close() {
        for (Tensor t : owned) t.close();
        owned.clear();
    }
}

package dev.groundwork.engine.nn;

import dev.groundwork.engine.tensor.Tensor;

/** Merges dims [start, end] into one; torch's defaults (1, -1) keep the batch dim. */
public final class Flatten extends Module implements UnaryModule {
    private final int startDim, endDim;

    public Flatten() { this(1, -1); }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) { return x.flatten(startDim, endDim); }

    @Override
    protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}

package dev.groundwork.engine.autograd;

import dev.groundwork.engine.tensor.Tensor;

/**
 * A node of the autograd graph: the op that produced one or more tensors, holding its inputs (the
 * graph's edges) and whatever it saved for the backward pass.
 */
public abstract class GradFn {
    private final String name;
    private final Tensor[] inputs;

    protected GradFn(String name, Tensor... inputs) {
        this.name = name;
        this.inputs = inputs;
    }

    public String name() { return name; }

    /** Inputs of the op; entries that need no gradient may be null. */
    public Tensor[] inputs() { return inputs; }

    public int numOutputs() { return 1; }

    /**
     * Gradients of the inputs, given the gradients of the outputs (entries of {@code gradOutputs} are
     * null for outputs that received none; at least one is present). Runs with gradient recording off.
     * Returns one entry per input, null where the input needs no gradient.
     */
    public abstract Tensor[] backward(Tensor[] gradOutputs);

    @Override
    public String toString() { return name + "Backward"; }
}

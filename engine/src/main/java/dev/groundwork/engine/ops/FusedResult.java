package dev.groundwork.engine.ops;

import dev.groundwork.engine.tensor.Tensor;

/**
 * The output of a backend's fused forward and how to differentiate it (what an op's {@code Kernel}
 * returns; see {@link dev.groundwork.engine.backend.Backend#kernel}). {@link #backward} maps the
 * output gradient to one gradient per op input (null where the input needs none) and then releases
 * whatever the forward saved; {@link #close} releases it without a backward pass.
 */
public interface FusedResult extends AutoCloseable {
    Tensor output();

    Tensor[] backward(Tensor gradOutput);

    @Override void close();
}

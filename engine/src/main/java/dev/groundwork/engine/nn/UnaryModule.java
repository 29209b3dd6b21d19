package dev.groundwork.engine.nn;

import dev.groundwork.engine.tensor.Tensor;

/**
 * A layer that maps one tensor to one tensor. {@link Module} itself declares no forward, because
 * real blocks take several inputs (ids and masks, queries and keys); layers of this shape implement
 * this interface so that {@link Sequential} can chain them.
 */
public interface UnaryModule {
    Tensor forward(Tensor x);
}

package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;

/** 0-d tensors for state dicts: F64 keeps a double exactly, I64 a count. */
final class Scalars {
    private Scalars() {}

    static Tensor f64(double v) { return Tensor.of(new double[]{v}); }

    static Tensor i64(long v) { return Tensor.ofLongs(new long[]{v}); }
}

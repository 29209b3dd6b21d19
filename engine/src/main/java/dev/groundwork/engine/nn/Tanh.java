package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.Tensor;

/** Elementwise tanh; no parameters. */
public final class Tanh extends Module implements UnaryModule {
    @Override
    public Tensor forward(Tensor x) { return F.tanh(x); }
}

package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.Tensor;

/** max(x, 0); no parameters. A module so it can sit in a {@link Sequential} at torch's index. */
public final class ReLU extends Module implements UnaryModule {
    @Override
    public Tensor forward(Tensor x) { return F.relu(x); }
}

package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.Tensor;

/** Exact (erf) GELU, torch's default approximate='none'. */
public final class GELU extends Module implements UnaryModule {
    @Override
    public Tensor forward(Tensor x) { return F.gelu(x); }
}

package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Records a backend's fused result as one autograd node. Public so that ops outside this package
 * (the research ops in {@code ops.vgbert}) follow the same path as {@link Attention}.
 */
public final class Fused {
    private Fused() {}

    /** The fused output recorded against inputs, or null when the backend offered no fused kernel (r is null). */
    public static Tensor run(String name, FusedResult r, Tensor... inputs) {
        if (r == null) return null;
        if (!Autograd.needsGrad(inputs)) {
            r.close();
            return r.output();
        }
        return Autograd.record(name, r.output(), inputs, r::backward);
    }
}

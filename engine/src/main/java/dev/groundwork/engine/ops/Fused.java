package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.backend.FusedKernels;
import dev.groundwork.engine.tensor.Tensor;

/** Records a backend's fused result as one autograd node (see {@link FusedKernels}). */
final class Fused {
    private Fused() {}

    /** The fused output recorded against inputs, or null when the backend offered no fused kernel. */
    static Tensor run(String name, FusedKernels.Result r, Tensor... inputs) {
        if (r == null) return null;
        if (!Autograd.needsGrad(inputs)) {
            r.close();
            return r.output();
        }
        return Autograd.record(name, r.output(), inputs, r::backward);
    }
}

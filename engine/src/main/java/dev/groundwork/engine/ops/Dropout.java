package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Inverted dropout: survivors scaled by 1/(1-p) so evaluation needs no rescaling. The mask comes
 * from the generator's Philox stream (seeded, reproducible across backends).
 */
public final class Dropout {
    private Dropout() {}

    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0);
        if (gen == null) throw new IllegalArgumentException("dropout in training mode needs a generator");
        Tensor mask = Tensor.empty(x.dtype(), x.device(), x.shape());
        x.backend().random(mask, Backend.RandomKind.BERNOULLI, gen.seed(), gen.reserve(x.numel()), 1 - p, 0);
        Tensor scaled = mask.mul(1 / (1 - p)).detach();
        Tensor y = Elementwise.binaryKernel(dev.groundwork.engine.backend.BinaryOp.MUL, x, scaled, x.dtype());
        return Autograd.record("dropout", y, new Tensor[]{x}, g -> new Tensor[]{g.mul(scaled)});
    }
}

package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/** Inverted dropout in training mode, the identity in eval mode. The mask comes from its own generator. */
public final class Dropout extends Module implements UnaryModule {
    private final double p;
    private final Generator gen;

    public Dropout(double p, Generator gen) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        this.p = p;
        this.gen = gen;
    }

    public double p() { return p; }

    @Override
    public Tensor forward(Tensor x) { return F.dropout(x, p, isTraining(), gen); }

    /** residual + this(x + bias), as one op ({@link F#biasDropoutAdd}): the same mask and numbers as {@code forward(x + bias).add(residual)}. */
    public Tensor forwardBiasAdd(Tensor x, Tensor bias, Tensor residual) {
        return F.biasDropoutAdd(x, bias, residual, p, isTraining(), gen);
    }

    @Override
    protected String extraRepr() { return "p=" + p; }
}

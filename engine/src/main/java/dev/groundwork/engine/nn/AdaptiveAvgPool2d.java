package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.Tensor;

/** Averages NCHW input down to a fixed [outH, outW] whatever the input size (VGG's 7x7 before the classifier). */
public final class AdaptiveAvgPool2d extends Module implements UnaryModule {
    private final int outH, outW;

    public AdaptiveAvgPool2d(int size) { this(size, size); }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH <= 0 || outW <= 0) throw new IllegalArgumentException("AdaptiveAvgPool2d needs a positive size, got " + outH + "x" + outW);
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) { return F.adaptiveAvgPool2d(x, outH, outW); }

    @Override
    protected String extraRepr() { return "output_size=(" + outH + ", " + outW + ")"; }
}

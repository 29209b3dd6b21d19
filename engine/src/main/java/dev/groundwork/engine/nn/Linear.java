package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

/** y = x W^T + b over the last dim; {@code weight} [out, in], {@code bias} [out], torch's default init. */
public final class Linear extends Module implements UnaryModule {
    private final int inFeatures, outFeatures;
    private final boolean hasBias;

    public Linear(int inFeatures, int outFeatures, Generator gen) { this(inFeatures, outFeatures, true, gen); }

    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new IllegalArgumentException("Linear needs positive sizes, got " + inFeatures + " -> " + outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.hasBias = bias;
        Tensor w = registerParameter("weight", Tensor.empty(DType.F32, Device.CPU, outFeatures, inFeatures));
        Tensor b = bias ? registerParameter("bias", Tensor.empty(DType.F32, Device.CPU, outFeatures)) : null;
        Init.linearDefault_(w, b, gen);
    }

    public Tensor weight() { return param("weight"); }

    /** The bias, or null when built without one. */
    public Tensor bias() { return hasBias ? param("bias") : null; }

    public int inFeatures() { return inFeatures; }

    public int outFeatures() { return outFeatures; }

    @Override
    public Tensor forward(Tensor x) { return F.linear(checked(x), weight(), bias()); }

    /**
     * x W^T alone, leaving the bias to the op that follows ({@link F#biasGelu}, {@link F#biasDropoutAdd}),
     * which adds it fused with its own work; the parameters and their names stay this layer's.
     */
    public Tensor forwardWithoutBias(Tensor x) { return F.linear(checked(x), weight(), null); }

    private Tensor checked(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != inFeatures)
            throw new IllegalArgumentException("Linear(" + inFeatures + ", " + outFeatures + ") got input of shape "
                    + java.util.Arrays.toString(x.shape()));
        return x;
    }

    @Override
    protected String extraRepr() { return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + hasBias; }
}

package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

/** 2-D convolution over NCHW input; {@code weight} [out, in, k, k], {@code bias} [out], torch's default init. */
public final class Conv2d extends Module implements UnaryModule {
    private final int inChannels, outChannels, kernel, stride, padding;
    private final boolean hasBias;

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, Generator gen) {
        this(inChannels, outChannels, kernel, stride, padding, true, gen);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias, Generator gen) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0)
            throw new IllegalArgumentException("bad Conv2d settings: in=" + inChannels + " out=" + outChannels
                    + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.hasBias = bias;
        Tensor w = registerParameter("weight", Tensor.empty(DType.F32, Device.CPU, outChannels, inChannels, kernel, kernel));
        Tensor b = bias ? registerParameter("bias", Tensor.empty(DType.F32, Device.CPU, outChannels)) : null;
        Init.linearDefault_(w, b, gen);
    }

    public Tensor weight() { return param("weight"); }

    /** The bias, or null when built without one. */
    public Tensor bias() { return hasBias ? param("bias") : null; }

    @Override
    public Tensor forward(Tensor x) { return F.conv2d(x, weight(), bias(), stride, padding); }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernel + ", " + kernel + "), stride=(" + stride + ", " + stride
                + "), padding=(" + padding + ", " + padding + ")" + (hasBias ? "" : ", bias=False");
    }
}

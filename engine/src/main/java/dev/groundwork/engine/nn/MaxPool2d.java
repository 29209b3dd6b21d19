package dev.groundwork.engine.nn;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.Tensor;

/** Max pooling over NCHW input with a square window; stride defaults to the kernel size, as in torch. */
public final class MaxPool2d extends Module implements UnaryModule {
    private final int kernel, stride, padding;

    public MaxPool2d(int kernel) { this(kernel, kernel, 0); }

    public MaxPool2d(int kernel, int stride, int padding) {
        if (kernel <= 0 || stride <= 0 || padding < 0)
            throw new IllegalArgumentException("bad MaxPool2d settings: kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) { return F.maxPool2d(x, kernel, stride, padding); }

    @Override
    protected String extraRepr() { return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding; }
}

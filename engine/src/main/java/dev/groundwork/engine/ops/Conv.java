package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/** 2-D convolution and pooling over NCHW tensors. */
public final class Conv {
    private Conv() {}

    private static int outSize(String op, int in, int k, int s, int p) {
        if (s <= 0) throw new IllegalArgumentException(op + ": stride must be positive, got " + s);
        if (p < 0) throw new IllegalArgumentException(op + ": padding must be >= 0, got " + p);
        int o = (in + 2 * p - k) / s + 1;
        if (in + 2 * p < k || o <= 0)
            throw new IllegalArgumentException(op + ": input size " + in + " with padding " + p + " is smaller than kernel " + k);
        return o;
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        Out.rank("conv2d", "input", x, 4);
        Out.rank("conv2d", "weight", weight, 4);
        Out.sameDevice("conv2d", x, weight, bias);
        int n = x.size(0), c = x.size(1), o = weight.size(0);
        if (weight.size(1) != c)
            throw new IllegalArgumentException("conv2d: input " + Shape.str(x.shape()) + " has " + c + " channels, weight " + Shape.str(weight.shape()) + " expects " + weight.size(1));
        if (bias != null) Out.shape("conv2d", "bias", bias, o);
        int oh = outSize("conv2d", x.size(2), weight.size(2), stride[0], padding[0]);
        int ow = outSize("conv2d", x.size(3), weight.size(3), stride[1], padding[1]);
        Tensor xc = x.contiguous(), wc = weight.contiguous();
        Tensor out = Out.like(x, n, o, oh, ow);
        x.backend().conv2d(xc, wc, bias == null ? null : bias.contiguous(), stride, padding, out);
        return Autograd.record("conv2d", out, new Tensor[]{x, weight, bias}, g -> {
            Tensor gc = g.contiguous();
            Tensor gx = null, gw = null, gb = null;
            if (x.requiresGrad()) {
                gx = Out.like(x, x.shape());
                x.backend().conv2dBackwardData(gc, wc, stride, padding, gx);
            }
            if (weight.requiresGrad() || (bias != null && bias.requiresGrad())) {
                gw = Out.like(weight, weight.shape());
                gb = bias == null ? null : Out.like(bias, bias.shape());
                x.backend().conv2dBackwardWeight(xc, gc, stride, padding, gw, gb);
            }
            return new Tensor[]{gx, weight.requiresGrad() ? gw : null, gb};
        });
    }

    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        Out.rank("max_pool2d", "input", x, 4);
        if (padding * 2 > kernel) throw new IllegalArgumentException("max_pool2d: padding " + padding + " must be at most half the kernel " + kernel);
        int[] k = {kernel, kernel}, s = {stride, stride}, p = {padding, padding};
        int oh = outSize("max_pool2d", x.size(2), kernel, stride, padding), ow = outSize("max_pool2d", x.size(3), kernel, stride, padding);
        Tensor xc = x.contiguous();
        Tensor out = Out.like(x, x.size(0), x.size(1), oh, ow);
        Tensor idx = Out.like(x, DType.I32, x.size(0), x.size(1), oh, ow);
        x.backend().maxPool2d(xc, k, s, p, out, idx);
        return Autograd.record("max_pool2d", out, new Tensor[]{x}, g -> {
            Tensor gx = Out.like(x, x.shape());
            x.backend().maxPool2dBackward(g.contiguous(), idx, gx);
            return new Tensor[]{gx};
        });
    }

    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        Out.rank("avg_pool2d", "input", x, 4);
        int[] k = {kernel, kernel}, s = {stride, stride}, p = {padding, padding};
        int oh = outSize("avg_pool2d", x.size(2), kernel, stride, padding), ow = outSize("avg_pool2d", x.size(3), kernel, stride, padding);
        Tensor out = Out.like(x, x.size(0), x.size(1), oh, ow);
        x.backend().avgPool2d(x.contiguous(), k, s, p, out);
        return Autograd.record("avg_pool2d", out, new Tensor[]{x}, g -> {
            Tensor gx = Out.like(x, x.shape());
            x.backend().avgPool2dBackward(g.contiguous(), k, s, p, gx);
            return new Tensor[]{gx};
        });
    }

    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        Out.rank("adaptive_avg_pool2d", "input", x, 4);
        if (outH <= 0 || outW <= 0) throw new IllegalArgumentException("adaptive_avg_pool2d: output size must be positive, got " + outH + "x" + outW);
        Tensor out = Out.like(x, x.size(0), x.size(1), outH, outW);
        x.backend().adaptiveAvgPool2d(x.contiguous(), out);
        return Autograd.record("adaptive_avg_pool2d", out, new Tensor[]{x}, g -> {
            Tensor gx = Out.like(x, x.shape());
            x.backend().adaptiveAvgPool2dBackward(g.contiguous(), gx);
            return new Tensor[]{gx};
        });
    }
}

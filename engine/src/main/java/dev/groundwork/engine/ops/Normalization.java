package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/** softmax, log_softmax, layer norm and L2 normalisation. */
public final class Normalization {
    private Normalization() {}

    public static Tensor softmax(Tensor x, int dim) { return softmax(x, dim, false); }

    public static Tensor logSoftmax(Tensor x, int dim) { return softmax(x, dim, true); }

    private static Tensor softmax(Tensor x, int dim, boolean log) {
        Out.floating(log ? "log_softmax" : "softmax", x);
        int d = Shape.dim(dim, x.dim());
        Tensor xc = x.contiguous();
        Tensor y = Out.written(x, x.shape());
        x.backend().softmax(xc, d, log, y);
        return Autograd.record(log ? "log_softmax" : "softmax", y, new Tensor[]{x}, g -> {
            Tensor gx = Out.written(x, x.shape());
            x.backend().softmaxBackward(g.contiguous(), y, d, log, gx);
            return new Tensor[]{gx};
        });
    }

    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        Out.floating("layer_norm", x);
        int d = x.size(-1);
        if (weight != null) Out.shape("layer_norm", "weight", weight, d);
        if (bias != null) Out.shape("layer_norm", "bias", bias, d);
        Out.sameDevice("layer_norm", x, weight, bias);
        Tensor xc = x.contiguous();
        int rows = x.numel() / Math.max(d, 1);
        Tensor y = Out.written(x, x.shape());
        Tensor mean = Out.written(x, rows), rstd = Out.written(x, rows);
        Tensor wc = weight == null ? null : weight.contiguous(), bc = bias == null ? null : bias.contiguous();
        x.backend().layerNorm(xc, wc, bc, eps, y, mean, rstd);
        return Autograd.record("layer_norm", y, new Tensor[]{x, weight, bias}, g -> {
            Tensor gx = Out.like(x, x.shape());
            Tensor gw = weight == null ? null : Out.like(weight, d);
            Tensor gb = bias == null ? null : Out.like(bias, d);
            x.backend().layerNormBackward(g.contiguous(), xc, wc, mean, rstd, gx, gw, gb);
            return new Tensor[]{gx, gw, gb};
        });
    }

    /** x / max(||x||, eps) along dim, composed of differentiable ops. */
    public static Tensor normalize(Tensor x, int dim, double eps) {
        Tensor norm = x.square().sum(dim, true).sqrt().clampMin(eps);
        return x.div(norm);
    }
}

package dev.groundwork.engine.nn;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Parameter initialisers with torch.nn.init's formulas. Each draws a fresh tensor from an explicit
 * {@link Generator} (so a seed reproduces a model exactly) and writes it into the target with
 * {@code copy_}, keeping the target the same object and off the autograd graph.
 */
public final class Init {
    private Init() {}

    /** Which fan kaiming scales by: fan_in keeps forward variance, fan_out keeps backward variance. */
    public enum Mode { FAN_IN, FAN_OUT }

    /** torch.nn.init.calculate_gain's nonlinearities. */
    public enum Nonlinearity { LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU }

    public record Fans(int fanIn, int fanOut) {}

    /**
     * torch's fan computation: for a weight [out, in, k...], fan_in = in * prod(k), fan_out = out * prod(k).
     * Needs at least two dims, as in torch (a bias has no fan of its own).
     */
    public static Fans fans(Tensor t) {
        int[] s = t.shape();
        if (s.length < 2) throw new IllegalArgumentException("fans need a tensor of rank >= 2, got " + Shape.str(s));
        int receptive = 1;
        for (int d = 2; d < s.length; d++) receptive *= s[d];
        return new Fans(s[1] * receptive, s[0] * receptive);
    }

    /** calculate_gain; {@code param} is leaky_relu's negative slope (ignored otherwise). */
    public static double gain(Nonlinearity nl, double param) {
        return switch (nl) {
            case LINEAR, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3.0;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1 + param * param));
        };
    }

    public static Tensor uniform_(Tensor t, double lo, double hi, Generator gen) {
        checkFloating(t);
        try (Tensor r = gen.uniform(t.dtype(), t.device(), lo, hi, t.shape())) {
            return t.copy_(r);
        }
    }

    public static Tensor normal_(Tensor t, double mean, double std, Generator gen) {
        checkFloating(t);
        try (Tensor r = gen.normal(t.dtype(), t.device(), mean, std, t.shape())) {
            return t.copy_(r);
        }
    }

    public static Tensor constant_(Tensor t, double value) { return t.fill_(value); }

    public static Tensor zeros_(Tensor t) { return t.fill_(0); }

    public static Tensor ones_(Tensor t) { return t.fill_(1); }

    /** U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor t, double gain, Generator gen) {
        Fans f = fans(t);
        double bound = gain * Math.sqrt(6.0 / (f.fanIn() + f.fanOut()));
        return uniform_(t, -bound, bound, gen);
    }

    /** N(0, s) with s = gain * sqrt(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal_(Tensor t, double gain, Generator gen) {
        Fans f = fans(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut())), gen);
    }

    /**
     * U(-b, b) with b = gain(nl, a) * sqrt(3 / fan). With a = sqrt(5), LEAKY_RELU and FAN_IN this is
     * torch's default for Linear and Conv weights: b = 1 / sqrt(fan_in).
     */
    public static Tensor kaimingUniform_(Tensor t, double a, Mode mode, Nonlinearity nl, Generator gen) {
        double bound = gain(nl, a) * Math.sqrt(3.0 / fan(t, mode));
        return uniform_(t, -bound, bound, gen);
    }

    /** torch.nn.init.kaiming_uniform_(t, a) with its defaults (fan_in, leaky_relu). */
    public static Tensor kaimingUniform_(Tensor t, double a, Generator gen) {
        return kaimingUniform_(t, a, Mode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
    }

    /** N(0, s) with s = gain(nl, a) / sqrt(fan) (torchvision's VGG uses FAN_OUT, RELU). */
    public static Tensor kaimingNormal_(Tensor t, double a, Mode mode, Nonlinearity nl, Generator gen) {
        return normal_(t, 0, gain(nl, a) / Math.sqrt(fan(t, mode)), gen);
    }

    /**
     * torch's reset_parameters for Linear and Conv: weight kaiming_uniform(a = sqrt(5)), i.e.
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and bias from the same range (bias may be null).
     */
    static void linearDefault_(Tensor weight, Tensor bias, Generator gen) {
        kaimingUniform_(weight, Math.sqrt(5), gen);
        if (bias != null) {
            int fanIn = fans(weight).fanIn();
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            uniform_(bias, -bound, bound, gen);
        }
    }

    private static int fan(Tensor t, Mode mode) {
        Fans f = fans(t);
        return mode == Mode.FAN_IN ? f.fanIn() : f.fanOut();
    }

    private static void checkFloating(Tensor t) {
        if (!t.dtype().isFloating()) throw new IllegalArgumentException("cannot initialise a " + t.dtype() + " tensor with random values");
    }
}

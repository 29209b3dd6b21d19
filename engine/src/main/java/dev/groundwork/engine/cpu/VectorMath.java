package dev.groundwork.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 row kernels on the Vector API for the transcendental ops that dominate memory-bound layers.
 * Scalar tails reuse the same formulas, so a row's result does not depend on where the tail starts.
 *
 * <p>erf here is Abramowitz-Stegun 7.1.26 (absolute error below 1.5e-7, i.e. float precision); the
 * double-precision reference in {@link ScalarMath} serves F64 tensors and gradient checks.
 */
final class VectorMath {
    private VectorMath() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;
    private static final float INV_SQRT2 = 0.70710678f, INV_SQRT_2PI = 0.39894228f;

    /** erf(x) for |x| via A&S 7.1.26, sign restored. */
    private static FloatVector erf(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector t = FloatVector.broadcast(S, 1f).div(ax.mul(P).add(1f));
        FloatVector poly = t.mul(A5).add(A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
        FloatVector y = FloatVector.broadcast(S, 1f).sub(poly.mul(ax.mul(ax).neg().lanewise(VectorOperators.EXP)));
        return y.blend(y.neg(), x.compare(VectorOperators.LT, 0f));
    }

    static float erf(float x) {
        float ax = Math.abs(x), t = 1f / (1f + P * ax);
        float poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
        return Math.copySign(1f - poly * (float) Math.exp(-ax * ax), x);
    }

    static void gelu(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(0.5f).mul(erf(v.mul(INV_SQRT2)).add(1f)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = 0.5f * x[xo + i] * (1f + erf(x[xo + i] * INV_SQRT2));
    }

    /** y = g * (Phi(x) + x phi(x)). */
    static void geluBackward(float[] g, int go, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector cdf = erf(v.mul(INV_SQRT2)).add(1f).mul(0.5f);
            FloatVector pdf = v.mul(v).mul(-0.5f).lanewise(VectorOperators.EXP).mul(INV_SQRT_2PI);
            FloatVector.fromArray(S, g, go + i).mul(cdf.add(v.mul(pdf))).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            float d = 0.5f * (1f + erf(v * INV_SQRT2)) + v * INV_SQRT_2PI * (float) Math.exp(-0.5f * v * v);
            y[yo + i] = g[go + i] * d;
        }
    }

    static void exp(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += S.length())
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXP).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = (float) Math.exp(x[xo + i]);
    }

    static void tanh(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += S.length())
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.TANH).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = (float) Math.tanh(x[xo + i]);
    }

    /** Softmax or log-softmax of one contiguous row. */
    static void softmaxRow(float[] x, int xo, float[] y, int yo, int n, boolean log) {
        int bound = S.loopBound(n), i = 0;
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += S.length()) vmax = vmax.max(FloatVector.fromArray(S, x, xo + i));
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) max = Math.max(max, x[xo + i]);
        FloatVector vsum = FloatVector.zero(S);
        float tail = 0;
        for (i = 0; i < bound; i += S.length()) {
            FloatVector e = FloatVector.fromArray(S, x, xo + i).sub(max).lanewise(VectorOperators.EXP);
            if (!log) e.intoArray(y, yo + i);
            vsum = vsum.add(e);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - max);
            if (!log) y[yo + i] = e;
            tail += e;
        }
        float sum = vsum.reduceLanes(VectorOperators.ADD) + tail;
        if (log) {
            float shift = max + (float) Math.log(sum);
            for (i = 0; i < bound; i += S.length()) FloatVector.fromArray(S, x, xo + i).sub(shift).intoArray(y, yo + i);
            for (; i < n; i++) y[yo + i] = x[xo + i] - shift;
        } else {
            float inv = 1f / sum;
            for (i = 0; i < bound; i += S.length()) FloatVector.fromArray(S, y, yo + i).mul(inv).intoArray(y, yo + i);
            for (; i < n; i++) y[yo + i] *= inv;
        }
    }

    /** Layer norm of one row; returns {mean, rstd}. Two passes (mean, then centred variance) for accuracy. */
    static void layerNormRow(float[] x, int xo, float[] w, int wo, float[] b, int bo, float eps, float[] y, int yo, int n, float[] stats) {
        int bound = S.loopBound(n), i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += S.length()) acc = acc.add(FloatVector.fromArray(S, x, xo + i));
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) sum += x[xo + i];
        float mean = sum / n;
        acc = FloatVector.zero(S);
        for (i = 0; i < bound; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, x, xo + i).sub(mean);
            acc = d.fma(d, acc);
        }
        float var = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) { float d = x[xo + i] - mean; var += d * d; }
        float rstd = (float) (1 / Math.sqrt(var / n + eps));
        for (i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i).sub(mean).mul(rstd);
            if (w != null) v = v.mul(FloatVector.fromArray(S, w, wo + i));
            if (b != null) v = v.add(FloatVector.fromArray(S, b, bo + i));
            v.intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float v = (x[xo + i] - mean) * rstd;
            if (w != null) v *= w[wo + i];
            if (b != null) v += b[bo + i];
            y[yo + i] = v;
        }
        stats[0] = mean;
        stats[1] = rstd;
    }
}

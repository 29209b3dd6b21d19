package dev.groundwork.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 row kernels on the Vector API for the transcendental ops that dominate memory-bound layers.
 * Scalar tails reuse the same formulas, so a row's result does not depend on where the tail starts.
 *
 * <p>erf here is Abramowitz-Stegun 7.1.26 (absolute error below 1.5e-7, i.e. float precision); the
 * double-precision reference in {@link ScalarMath} serves F64 tensors and gradient checks.
 *
 * <p>Determinism: results must not depend on whether HotSpot has compiled this code yet, or a resumed
 * run would drift from an uninterrupted one. The Vector API's transcendental lanewise ops (EXP, TANH)
 * and float ADD reductions may give different bits intrinsified than interpreted, so this class uses
 * neither: exp is our own polynomial built from IEEE add/mul (exact in every tier), and lane sums
 * are taken in a fixed order ({@link #sumInOrder}).
 */
final class VectorMath {
    private VectorMath() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;
    private static final float INV_SQRT2 = 0.70710678f, INV_SQRT_2PI = 0.39894228f;


    // exp(x) = 2^n * e^r with n = round(x log2 e), r = x - n ln 2 (ln 2 split in two for accuracy),
    // e^r by a degree-6 polynomial on [-ln2/2, ln2/2]: about 1 ulp in float.
    // Below EXP_MIN (where exp leaves the normal range) the result is exactly 0, not the clamped
    // ~1.2e-38: a masked softmax entry (score - 10000) must be 0, and a value at the bottom of the
    // normal range turns subnormal after one multiply, which makes every later GEMM over it ~50x
    // slower on x86 (found profiling BERT backward over padded captions: 0.6 vs 35 GFLOP/s).
    private static final float LOG2E = 1.44269504f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float EXP_MAX = 88.3762626647949f, EXP_MIN = -87.3365478515625f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    static FloatVector exp(FloatVector x) {
        VectorMask<Float> underflow = x.compare(VectorOperators.LT, EXP_MIN);
        x = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = x.mul(LOG2E).add(0.5f);
        FloatVector n = t.convert(VectorOperators.F2I, 0).reinterpretAsInts().convert(VectorOperators.I2F, 0).reinterpretAsFloats();
        n = n.sub(FloatVector.broadcast(S, 1f), n.compare(VectorOperators.GT, t));       // floor
        FloatVector r = x.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector z = r.mul(r);
        FloatVector p = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5).mul(z).add(r).add(1f);
        FloatVector scale = n.convert(VectorOperators.F2I, 0).reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(scale).blend(0f, underflow);
    }

    /** The same arithmetic as {@link #exp(FloatVector)}, one lane: tails match the vector body bit for bit. */
    static float exp(float x) {
        if (x < EXP_MIN) return 0f;
        x = Math.min(x, EXP_MAX);
        float t = x * LOG2E + 0.5f;
        float n = (float) (int) t;
        if (n > t) n -= 1f;
        float r = x - n * LN2_HI - n * LN2_LO;
        float z = r * r;
        float p = (((((r * P0 + P1) * r + P2) * r + P3) * r + P4) * r + P5) * z + r + 1f;
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /** Lanes per vector: the length of the scratch arrays the row kernels take. */
    static final int LANES = S.length();

    /**
     * Sum of a vector's lanes, stored by the caller into {@code lanes}, left to right (a reduction whose
     * order HotSpot may not change). The caller stores rather than passing the vector: a vector argument to
     * a method C2 does not inline is boxed on every call, and v.toArray() allocated a fresh array per row
     * (6 % of a BERT forward at sequence length 16, where each softmax row is one vector).
     */
    private static float sumInOrder(float[] lanes) {
        float s = 0;
        for (int i = 0; i < LANES; i++) s += lanes[i];
        return s;
    }

    /** erf(x) for |x| via A&S 7.1.26, sign restored. */
    private static FloatVector erf(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector t = FloatVector.broadcast(S, 1f).div(ax.mul(P).add(1f));
        FloatVector poly = t.mul(A5).add(A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
        FloatVector y = FloatVector.broadcast(S, 1f).sub(poly.mul(exp(ax.mul(ax).neg())));
        return y.blend(y.neg(), x.compare(VectorOperators.LT, 0f));
    }

    static float erf(float x) {
        float ax = Math.abs(x), t = 1f / (1f + P * ax);
        float poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
        return Math.copySign(1f - poly * exp(-ax * ax), x);
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
            FloatVector pdf = exp(v.mul(v).mul(-0.5f)).mul(INV_SQRT_2PI);
            FloatVector.fromArray(S, g, go + i).mul(cdf.add(v.mul(pdf))).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            float d = 0.5f * (1f + erf(v * INV_SQRT2)) + v * INV_SQRT_2PI * exp(v * v * -0.5f);
            y[yo + i] = g[go + i] * d;
        }
    }

    /** tanh(x) = sign(x) (1 - e) / (1 + e), e = exp(-2|x|): no cancellation for large |x|. */
    static FloatVector tanh(FloatVector x) {
        FloatVector e = exp(x.abs().mul(-2f));
        FloatVector t = FloatVector.broadcast(S, 1f).sub(e).div(e.add(1f));
        return t.blend(t.neg(), x.compare(VectorOperators.LT, 0f));
    }

    static float tanh(float x) {
        float e = exp(Math.abs(x) * -2f);
        float t = (1f - e) / (e + 1f);
        return x < 0 ? -t : t;
    }

    static void exp(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += S.length())
            exp(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = exp(x[xo + i]);
    }

    static void tanh(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += S.length())
            tanh(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = tanh(x[xo + i]);
    }

    /** Softmax or log-softmax of one contiguous row; lanes is scratch of {@link #LANES} floats. */
    static void softmaxRow(float[] x, int xo, float[] y, int yo, int n, boolean log, float[] lanes) {
        int bound = S.loopBound(n), i = 0;
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += S.length()) vmax = vmax.max(FloatVector.fromArray(S, x, xo + i));
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) max = Math.max(max, x[xo + i]);
        FloatVector vsum = FloatVector.zero(S);
        float tail = 0;
        for (i = 0; i < bound; i += S.length()) {
            FloatVector e = exp(FloatVector.fromArray(S, x, xo + i).sub(max));
            if (!log) e.intoArray(y, yo + i);
            vsum = vsum.add(e);
        }
        for (; i < n; i++) {
            float e = exp(x[xo + i] - max);
            if (!log) y[yo + i] = e;
            tail += e;
        }
        vsum.intoArray(lanes, 0);
        float sum = sumInOrder(lanes) + tail;
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

    /**
     * Layer norm of one row; writes {mean, rstd} to stats. Two passes (mean, then centred variance) for
     * accuracy. lanes is scratch of {@link #LANES} floats.
     */
    static void layerNormRow(float[] x, int xo, float[] w, int wo, float[] b, int bo, float eps, float[] y, int yo, int n, float[] stats,
                             float[] lanes) {
        int bound = S.loopBound(n), i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += S.length()) acc = acc.add(FloatVector.fromArray(S, x, xo + i));
        acc.intoArray(lanes, 0);
        float sum = sumInOrder(lanes);
        for (; i < n; i++) sum += x[xo + i];
        float mean = sum / n;
        acc = FloatVector.zero(S);
        for (i = 0; i < bound; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, x, xo + i).sub(mean);
            acc = d.fma(d, acc);
        }
        acc.intoArray(lanes, 0);
        float var = sumInOrder(lanes);
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

package dev.groundwork.engine.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float32 row kernels: accurate to float precision, and vector lanes equal to scalar tails. */
class VectorMathTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    private static float[] samples(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return a;
    }

    @Test void expIsAccurateAndLaneIndependent() {
        float[] x = samples(1, 4096 + 3, -87, 88);
        float[] y = new float[x.length];
        VectorMath.exp(x, 0, y, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double want = Math.exp(x[i]);
            assertEquals(want, y[i], Math.abs(want) * 3e-7, "exp(" + x[i] + ")");
            assertEquals(Float.floatToIntBits(VectorMath.exp(x[i])), Float.floatToIntBits(y[i]), "vector lane vs scalar at " + i);
        }
        assertEquals(0f, VectorMath.exp(-200f), 1e-37f);
    }

    /**
     * Below the normal range exp is exactly 0, vector and scalar alike: a masked score (x - 10000)
     * must give probability 0, and the clamped ~1.2e-38 it gave before turned subnormal downstream,
     * which slows every x86 multiply over it by ~50x.
     */
    @Test void expUnderflowsToExactZeroNeverSubnormal() {
        float[] x = samples(4, 3 * L + 5, -200, -80);
        x[0] = -10000f;
        x[1] = -87.5f;
        float[] y = new float[x.length];
        VectorMath.exp(x, 0, y, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(VectorMath.exp(x[i])), Float.floatToIntBits(y[i]), "vector lane vs scalar at " + i);
            if (x[i] < -87.3365478515625f) assertEquals(0, Float.floatToIntBits(y[i]), "exp(" + x[i] + ") must be +0");
            else assertEquals(Math.exp(x[i]), y[i], Math.exp(x[i]) * 3e-7, "exp(" + x[i] + ")");
        }
        float[] row = samples(5, 40, -3, 3), p = new float[40];
        for (int i = 0; i < 40; i += 3) row[i] -= 10000f;   // additively masked keys
        VectorMath.softmaxRow(row, 0, p, 0, 40, false, new float[VectorMath.LANES]);
        for (int i = 0; i < 40; i++) {
            if (i % 3 == 0) assertEquals(0f, p[i], 0f, "masked key " + i);
            else assertTrue(p[i] >= Float.MIN_NORMAL, "kept key " + i + " = " + p[i]);
        }
    }

    @Test void tanhAndGeluAreAccurate() {
        float[] x = samples(2, 1000 + L - 1, -12, 12);
        float[] t = new float[x.length], g = new float[x.length];
        VectorMath.tanh(x, 0, t, 0, x.length);
        VectorMath.gelu(x, 0, g, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Math.tanh(x[i]), t[i], 3e-7, "tanh(" + x[i] + ")");
            assertEquals(ScalarMath.gelu(x[i]), g[i], 3e-6 * Math.max(1, Math.abs(x[i])), "gelu(" + x[i] + ")");
        }
    }

    @Test void softmaxRowSumsToOne() {
        float[] x = samples(3, 771, -30, 30), y = new float[771];
        VectorMath.softmaxRow(x, 0, y, 0, 771, false, new float[VectorMath.LANES]);
        double s = 0;
        for (float v : y) s += v;
        assertEquals(1.0, s, 1e-5);
    }
}

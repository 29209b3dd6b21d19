package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Random inputs and comparisons shared by the optimizer tests. */
final class OptimTestSupport {
    private OptimTestSupport() {}

    /** n values in +-[0.2, 1.7): random signs, bounded away from zero. */
    static double[] randoms(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (r.nextBoolean() ? 1 : -1) * (0.2 + 1.5 * r.nextDouble());
        return a;
    }

    /** An F64 parameter (requires grad) with the given values. */
    static Tensor param(double[] values, int... shape) { return Tensor.of(values.clone(), shape).requiresGrad(true); }

    static void setGrad(Tensor p, double[] g) {
        p.setGrad(p.dtype() == DType.F64 ? Tensor.of(g.clone(), p.shape()) : Tensor.of(toFloat(g), p.shape()));
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    /** Relative comparison, elementwise, naming the first element that differs. */
    static void assertClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = rel * Math.max(Math.abs(expected[i]), 1e-3);
            if (!(Math.abs(expected[i] - actual[i]) <= tol))
                fail(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
        }
    }

    /** What a checkpoint file does to a state dict: every tensor rebuilt from host memory. */
    static Map<String, Tensor> throughHost(Map<String, Tensor> sd) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        sd.forEach((k, t) -> out.put(k, switch (t.dtype()) {
            case F32 -> Tensor.of(t.toFloatArray(), t.shape());
            case F64 -> Tensor.of(t.toDoubleArray(), t.shape());
            case I64 -> Tensor.ofLongs(t.toLongArray(), t.shape());
            case I32 -> throw new AssertionError("unexpected I32 entry " + k);
        }));
        return out;
    }
}

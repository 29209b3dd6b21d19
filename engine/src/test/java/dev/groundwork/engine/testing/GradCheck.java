package dev.groundwork.engine.testing;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference gradient check in float64. The scalar probed is L = sum(f(x) * probe) with a
 * random probe, so every output element's gradient path is exercised, not only their sum.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Random F64 inputs of the given shapes, requiring grad (never zeros). */
    public static Tensor[] inputs(long seed, int[]... shapes) {
        Generator g = new Generator(seed);
        Tensor[] ts = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) ts[i] = g.normal(DType.F64, Device.CPU, 0, 1, shapes[i]).requiresGrad(true);
        return ts;
    }

    public static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(name, f, 1e-6, 1e-5, inputs);
    }

    /**
     * Compares analytic gradients with central differences of step eps, per input, by the relative
     * L2 error ||analytic - numeric|| / max(||numeric||, 1e-8) <= tol.
     */
    public static void check(String name, Function<Tensor[], Tensor> f, double eps, double tol, Tensor... inputs) {
        for (Tensor t : inputs)
            if (t.requiresGrad() && t.dtype() != DType.F64) fail(name + ": gradient check inputs must be F64");
        Tensor out = f.apply(inputs);
        Tensor probe = new Generator(12345).normal(DType.F64, Device.CPU, 0, 1, out.shape());
        Tensor loss = out.mul(probe).sum();
        for (Tensor t : inputs) if (t.requiresGrad()) t.zeroGrad();
        loss.backward();
        for (int k = 0; k < inputs.length; k++) {
            Tensor x = inputs[k];
            if (!x.requiresGrad()) continue;
            double[] analytic = x.grad() == null ? new double[x.numel()] : x.grad().toDoubleArray();
            double[] numeric = new double[x.numel()];
            double[] data = ((double[]) x.backend().download(x));
            try (var s = GradMode.noGrad()) {
                for (int i = 0; i < data.length; i++) {
                    double orig = data[i];
                    data[i] = orig + eps;
                    double plus = eval(f, inputs, k, data, x.shape(), probe);
                    data[i] = orig - eps;
                    double minus = eval(f, inputs, k, data, x.shape(), probe);
                    data[i] = orig;
                    numeric[i] = (plus - minus) / (2 * eps);
                }
            }
            double diff = 0, ref = 0;
            for (int i = 0; i < numeric.length; i++) {
                diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
                ref += numeric[i] * numeric[i];
            }
            double rel = Math.sqrt(diff) / Math.max(Math.sqrt(ref), 1e-8);
            if (!(rel <= tol))
                fail(name + ": gradient of input " + k + " " + Shape.str(x.shape()) + " differs from finite differences, rel L2 error " + rel
                        + "\n analytic " + preview(analytic) + "\n numeric  " + preview(numeric));
        }
    }

    private static double eval(Function<Tensor[], Tensor> f, Tensor[] inputs, int k, double[] data, int[] shape, Tensor probe) {
        Tensor[] copy = inputs.clone();
        copy[k] = Tensor.of(data, shape);
        return f.apply(copy).mul(probe).sum().item();
    }

    private static String preview(double[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(a.length, 8); i++) sb.append(i > 0 ? ", " : "").append(String.format("%.6g", a[i]));
        return sb.append(a.length > 8 ? ", ...]" : "]").toString();
    }

    public static List<Tensor> list(Tensor... ts) { return List.of(ts); }
}

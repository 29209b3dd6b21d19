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
 * Finite-difference gradient check in float64. The scalar probed is L = sum_i sum(f(x)_i * probe_i)
 * over the floating outputs, with random probes, so every output element's gradient path is
 * exercised, not only their sum.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Every coordinate of every input is probed. */
    public static final int ALL = Integer.MAX_VALUE;

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

    public static void check(String name, Function<Tensor[], Tensor> f, double eps, double tol, Tensor... inputs) {
        checkOutputs(name, t -> List.of(f.apply(t)), eps, tol, ALL, inputs);
    }

    /** Random directions a large input is probed along (see {@link #checkOutputs}). */
    public static final int DIRECTIONS = 4;

    /**
     * Compares analytic gradients with central differences of step eps, per input, by the relative
     * L2 error ||analytic - numeric|| / max(||numeric||, 1e-8) <= tol. An input of at most
     * coordinateLimit elements is probed coordinate by coordinate (two evaluations of f each). A larger
     * one (the rows sized for the GPU's block and multi-stage kernels) is probed along
     * {@link #DIRECTIONS} random directions u with N(0, 1) entries: numeric (L(x + eps u) - L(x - eps u)) / 2eps
     * against analytic u . grad. Each direction projects the whole gradient, so an error anywhere in
     * it shows (a sample of coordinates would miss one confined to a tail), at 8 evaluations of f
     * in all instead of two per element.
     */
    public static void checkOutputs(String name, Function<Tensor[], List<Tensor>> f, double eps, double tol, int coordinateLimit, Tensor... inputs) {
        for (Tensor t : inputs)
            if (t.requiresGrad() && t.dtype() != DType.F64) fail(name + ": gradient check inputs must be F64");
        List<Tensor> outs = f.apply(inputs);
        Generator probes = new Generator(12345);
        Tensor[] probe = new Tensor[outs.size()];
        for (int i = 0; i < probe.length; i++)
            if (outs.get(i).dtype().isFloating()) probe[i] = probes.normal(DType.F64, Device.CPU, 0, 1, outs.get(i).shape());
        Tensor loss = probed(outs, probe);
        if (!loss.requiresGrad()) fail(name + ": no output depends differentiably on an input that requires grad");
        for (Tensor t : inputs) if (t.requiresGrad()) t.zeroGrad();
        loss.backward();
        for (int k = 0; k < inputs.length; k++) {
            Tensor x = inputs[k];
            if (!x.requiresGrad()) continue;
            double[] grad = x.grad() == null ? new double[x.numel()] : x.grad().toDoubleArray();
            double[] data = (double[]) x.backend().download(x);
            double[][] dirs = data.length <= coordinateLimit ? null : directions(k, data.length);
            int m = dirs == null ? data.length : dirs.length;
            double[] analytic = new double[m], numeric = new double[m];
            try (var s = GradMode.noGrad()) {
                for (int j = 0; j < m; j++) {
                    double plus = eval(f, inputs, k, step(data, dirs, j, eps), x.shape(), probe);
                    double minus = eval(f, inputs, k, step(data, dirs, j, -eps), x.shape(), probe);
                    numeric[j] = (plus - minus) / (2 * eps);
                    analytic[j] = dirs == null ? grad[j] : dot(dirs[j], grad);
                }
            }
            double diff = 0, ref = 0;
            for (int j = 0; j < m; j++) {
                diff += (analytic[j] - numeric[j]) * (analytic[j] - numeric[j]);
                ref += numeric[j] * numeric[j];
            }
            double rel = Math.sqrt(diff) / Math.max(Math.sqrt(ref), 1e-8);
            if (!(rel <= tol))
                fail(name + ": gradient of input " + k + " " + Shape.str(x.shape()) + " differs from finite differences, rel L2 error " + rel
                        + (dirs != null ? " (along " + m + " random directions)" : "")
                        + "\n analytic " + preview(analytic) + "\n numeric  " + preview(numeric));
        }
    }

    /** x + h e_j (coordinate j) or x + h u_j (direction j), as a fresh array. */
    private static double[] step(double[] x, double[][] dirs, int j, double h) {
        double[] y = x.clone();
        if (dirs == null) y[j] += h;
        else for (int i = 0; i < y.length; i++) y[i] += h * dirs[j][i];
        return y;
    }

    /** DIRECTIONS vectors of n N(0, 1) entries, fixed per input position. */
    private static double[][] directions(int input, int n) {
        Generator g = new Generator(777 + input);
        double[][] u = new double[DIRECTIONS][];
        for (int j = 0; j < DIRECTIONS; j++) u[j] = g.normal(DType.F64, Device.CPU, 0, 1, n).toDoubleArray();
        return u;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** sum_i sum(outs_i * probe_i) over the outputs that have a probe (the floating ones). */
    private static Tensor probed(List<Tensor> outs, Tensor[] probe) {
        Tensor loss = null;
        for (int i = 0; i < probe.length; i++) {
            if (probe[i] == null) continue;
            Tensor term = outs.get(i).mul(probe[i]).sum();
            loss = loss == null ? term : loss.add(term);
        }
        if (loss == null) fail("the op has no floating output to differentiate");
        return loss;
    }

    private static double eval(Function<Tensor[], List<Tensor>> f, Tensor[] inputs, int k, double[] data, int[] shape, Tensor[] probe) {
        Tensor[] copy = inputs.clone();
        copy[k] = Tensor.of(data, shape);
        return probed(f.apply(copy), probe).item();
    }

    private static String preview(double[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(a.length, 8); i++) sb.append(i > 0 ? ", " : "").append(String.format("%.6g", a[i]));
        return sb.append(a.length > 8 ? ", ...]" : "]").toString();
    }
}

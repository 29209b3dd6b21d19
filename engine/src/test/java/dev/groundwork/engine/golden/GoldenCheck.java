package dev.groundwork.engine.golden;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a golden case: moves inputs (and weights) to the device, marks the tensors named in
 * {@code grads} as requiring gradients, evaluates the model, backpropagates
 * L = sum_outputs sum(out * probe.out), and compares outputs and gradients by relative L2 error.
 */
public final class GoldenCheck {
    private GoldenCheck() {}

    /** Parameters the forward reads by name (inputs and weights, on the device). */
    public interface Model extends Function<Map<String, Tensor>, Map<String, Tensor>> {}

    public static void run(GoldenCase c, Device device, double tolScale, Model model) {
        Map<String, Tensor> env = new HashMap<>();
        for (var e : c.inputs().entrySet()) if (!e.getKey().startsWith("probe.")) env.put(e.getKey(), e.getValue().to(device));
        for (var e : c.weights().entrySet()) env.put(e.getKey(), e.getValue().to(device));
        for (String g : c.grads()) {
            Tensor t = env.get(g);
            assertNotNull(t, c.name() + ": gradient requested for '" + g + "', which is neither an input nor a weight");
            env.put(g, t.detach().requiresGrad(true));
        }
        Map<String, Tensor> out = model.apply(env);
        Tensor loss = null;
        for (String o : c.outputs()) {
            Tensor got = out.get(o);
            assertNotNull(got, c.name() + ": model produced no output '" + o + "'");
            Tensor probe = c.inputs().get("probe." + o).to(device);
            Tensor term = got.mul(probe).sum();
            loss = loss == null ? term : loss.add(term);
            compare(c.name() + " output " + o, c.expected().get("out." + o), got, c.outputsTol() * tolScale);
        }
        if (!c.grads().isEmpty()) {
            loss.backward();
            for (String g : c.grads()) {
                Tensor grad = env.get(g).grad();
                assertNotNull(grad, c.name() + ": no gradient reached '" + g + "'");
                compare(c.name() + " grad " + g, c.expected().get("grad." + g), grad, c.gradsTol() * tolScale);
            }
        }
    }

    public static double relL2(Tensor expected, Tensor got) {
        double[] e = expected.toDoubleArray(), g = got.toDoubleArray();
        double diff = 0, ref = 0;
        for (int i = 0; i < e.length; i++) {
            diff += (e[i] - g[i]) * (e[i] - g[i]);
            ref += e[i] * e[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(ref), 1e-30);
    }

    static void compare(String what, Tensor expected, Tensor got, double tol) {
        assertNotNull(expected, what + ": missing from expected.safetensors");
        assertArrayEquals(expected.shape(), got.shape(), what + ": shape " + Shape.str(got.shape()) + " vs expected " + Shape.str(expected.shape()));
        double rel = relL2(expected, got.to(Device.CPU));
        if (!(rel <= tol)) fail(what + ": relative L2 error " + rel + " exceeds " + tol
                + "\n expected " + Arrays.toString(Arrays.copyOf(expected.toFloatArray(), Math.min(6, expected.numel())))
                + "\n got      " + Arrays.toString(Arrays.copyOf(got.toFloatArray(), Math.min(6, got.numel()))));
    }
}

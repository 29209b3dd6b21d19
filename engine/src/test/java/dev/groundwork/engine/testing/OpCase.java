package dev.groundwork.engine.testing;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One row of the op table ({@link OpCases}), after tinygrad's {@code helper_test_op}: a name (the op
 * and its variant), its inputs, the op, which public entry points it exercises, and its tolerances.
 * The same row drives the float64 finite-difference check on the CPU and the float32 CPU/CUDA parity
 * test, so an op is added once and both checks pick it up.
 *
 * @param covers    the entry points exercised, as "Owner.method" (e.g. "F.layerNorm", "Tensor.sum"),
 *                  checked against the class when the row is built so a typo cannot count as coverage
 * @param gradTol   finite differences: relative L2 error of the gradients, float64, step 1e-6
 * @param parityTol CPU/CUDA: relative L2 error of the float32 outputs (gradients: at least 1e-6)
 */
public record OpCase(String name, List<String> covers, List<OpInput> inputs, Function<Tensor[], List<Tensor>> op,
                     double gradTol, double parityTol) {

    public static final double GRAD_TOL = 1e-5, PARITY_TOL = 1e-6;

    /** A single-output op. */
    public static OpCase of(String name, Function<Tensor[], Tensor> op, OpInput... inputs) {
        return outputs(name, t -> List.of(op.apply(t)), inputs);
    }

    /** An op with several outputs (losses pairs, split chunks, values and indices); each is compared and probed. */
    public static OpCase outputs(String name, Function<Tensor[], List<Tensor>> op, OpInput... inputs) {
        return new OpCase(name, List.of(), List.of(inputs), op, GRAD_TOL, PARITY_TOL);
    }

    /** This row also exercises owner's public methods of these names. */
    public OpCase covers(Class<?> owner, String... methods) {
        List<String> all = new ArrayList<>(covers);
        for (String m : methods) {
            boolean exists = Arrays.stream(owner.getMethods()).anyMatch(x -> x.getName().equals(m) && x.getDeclaringClass() == owner);
            if (!exists) throw new IllegalArgumentException(name + ": " + owner.getSimpleName() + " has no public method " + m);
            all.add(key(owner, m));
        }
        return new OpCase(name, List.copyOf(all), inputs, op, gradTol, parityTol);
    }

    public OpCase gradTol(double tol) { return new OpCase(name, covers, inputs, op, tol, parityTol); }

    public OpCase parityTol(double tol) { return new OpCase(name, covers, inputs, op, gradTol, tol); }

    /** The name coverage is counted under. */
    public static String key(Class<?> owner, String method) { return owner.getSimpleName() + "." + method; }

    public static String key(Method m) { return key(m.getDeclaringClass(), m.getName()); }

    public static boolean isPublicStatic(Method m) { return Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()); }

    /**
     * Fresh CPU inputs, floating ones in floatType, from a generator seeded by the case's name: every
     * call gives the same numbers, and adding or reordering rows changes no other row's inputs.
     */
    public Tensor[] draw(DType floatType) {
        Generator g = new Generator(name.hashCode());
        Tensor[] t = new Tensor[inputs.size()];
        for (int i = 0; i < t.length; i++) t[i] = inputs.get(i).draw(g, floatType);
        return t;
    }

    /** Whether some input gets a gradient (otherwise only the forward is compared). */
    public boolean differentiable() { return inputs.stream().anyMatch(OpInput::grad); }

    @Override public String toString() { return name; }
}

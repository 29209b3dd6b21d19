package dev.groundwork.kernels.cuda;

import java.util.HashMap;
import java.util.Map;

/**
 * A backend's fused op kernels keyed by the interface each implements (an op's nested
 * {@code Kernel}, e.g. {@code Attention.Kernel}): what {@code Backend.kernel(Class)} answers from.
 * Typed puts keep every value an instance of its key.
 */
public final class OpKernels {
    private final Map<Class<?>, Object> kernels = new HashMap<>();

    public <K> OpKernels put(Class<K> kind, K kernel) {
        if (!kind.isInterface()) throw new IllegalArgumentException(kind.getName() + " is not a kernel interface");
        if (kernels.putIfAbsent(kind, kind.cast(kernel)) != null)
            throw new IllegalStateException(kind.getName() + " is registered twice");
        return this;
    }

    /** The kernel of that kind, or null when there is none (the op composes primitives). */
    public <K> K get(Class<K> kind) { return kind.cast(kernels.get(kind)); }
}

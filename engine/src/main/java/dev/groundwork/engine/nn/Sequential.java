package dev.groundwork.engine.nn;

import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one-tensor layers in order. Children are named "0", "1", ... like torch's Sequential (so VGG's
 * {@code features.0.weight} comes out right), or by the names given to {@link #add(String, Module)}.
 */
public final class Sequential extends Module implements UnaryModule {
    private final List<UnaryModule> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** torch's Sequential(OrderedDict(...)): children under the given names, in map order. */
    public static Sequential of(Map<String, ? extends Module> named) {
        Sequential s = new Sequential();
        named.forEach(s::add);
        return s;
    }

    /** Appends a layer named by its position. */
    public Sequential add(Module m) { return add(String.valueOf(layers.size()), m); }

    public Sequential add(String name, Module m) {
        if (!(m instanceof UnaryModule u))
            throw new IllegalArgumentException("Sequential needs one-tensor layers (UnaryModule); " + m.getClass().getSimpleName() + " is not one");
        registerModule(name, m);
        layers.add(u);
        return this;
    }

    public int size() { return layers.size(); }

    /** The i-th layer, in insertion order. */
    public Module get(int i) { return (Module) layers.get(i); }

    @Override
    public Tensor forward(Tensor x) {
        for (UnaryModule l : layers) x = l.forward(x);
        return x;
    }
}

package dev.groundwork.engine.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An indexed list of child modules named "0", "1", ... with no forward of its own: the container
 * behind names like {@code encoder.layer.3.output.dense.weight}, whose caller loops over the blocks.
 */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    @SafeVarargs
    public ModuleList(M... modules) {
        for (M m : modules) add(m);
    }

    public ModuleList<M> add(M m) {
        registerModule(String.valueOf(items.size()), m);
        items.add(m);
        return this;
    }

    public M get(int i) { return items.get(i); }

    public int size() { return items.size(); }

    @Override
    public Iterator<M> iterator() { return List.copyOf(items).iterator(); }
}

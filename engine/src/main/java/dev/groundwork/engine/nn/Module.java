package dev.groundwork.engine.nn;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A node of a model: parameters, buffers and child modules, each registered under a local name in
 * insertion order. Names compose with dots exactly as PyTorch writes them
 * ({@code encoder.layer.0.attention.self.query.weight}), so checkpoints map one to one.
 *
 * <p>There is no abstract forward: blocks take different inputs, so each subclass exposes its own
 * typed {@code forward(...)}; one-tensor layers implement {@link UnaryModule}.
 *
 * <p>Subclasses read their tensors back by name ({@link #param}) rather than caching them in fields,
 * because {@link #to(Device)} and {@link #setParameter} replace the registered tensor.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    // ---------------------------------------------------------------- registration

    /** Registers a leaf tensor as a trainable parameter (requiresGrad is switched on, as nn.Parameter does). */
    protected final Tensor registerParameter(String name, Tensor t) {
        checkNewName(name);
        params.put(name, asParameter(name, dev.groundwork.engine.tensor.TensorScope.detach(t)));
        return t;
    }

    /** A buffer: state that is not trained (running statistics, position ids). Persistent ones go into the state dict. */
    protected final Tensor registerBuffer(String name, Tensor t, boolean persistent) {
        checkNewName(name);
        buffers.put(name, dev.groundwork.engine.tensor.TensorScope.detach(t));
        if (!persistent) nonPersistent.add(name);
        return t;
    }

    protected final <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        if (module == null) throw new IllegalArgumentException("child module '" + name + "' is null");
        children.put(name, module);
        return module;
    }

    /**
     * Replaces the tensor behind an existing local parameter name: weight tying
     * ({@code decoder.setParameter("weight", embeddings.weight())}) and device moves. Optimizers built
     * before the call keep updating the old tensor. The tensor's requiresGrad is kept as it is.
     */
    public final void setParameter(String name, Tensor t) {
        if (!params.containsKey(name)) throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'");
        if (t == null || !t.isLeaf()) throw new IllegalArgumentException("parameter '" + name + "' must be a non-null leaf tensor");
        params.put(name, dev.groundwork.engine.tensor.TensorScope.detach(t));
    }

    /** This module's own parameter (no dots). */
    protected final Tensor param(String name) {
        Tensor t = params.get(name);
        if (t == null) throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'");
        return t;
    }

    /** This module's own buffer (no dots). */
    protected final Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer '" + name + "'");
        return t;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException("bad name '" + name + "': names are non-empty and contain no dot");
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has a member named '" + name + "'");
    }

    private static Tensor asParameter(String name, Tensor t) {
        if (t == null) throw new IllegalArgumentException("parameter '" + name + "' is null; leave optional parameters unregistered");
        if (!t.isLeaf()) throw new IllegalArgumentException("parameter '" + name + "' must be a leaf tensor; pass t.detach()");
        return t.requiresGrad(true);
    }

    // ---------------------------------------------------------------- traversal

    /** Direct children by local name. */
    public final Map<String, Module> namedChildren() { return Collections.unmodifiableMap(children); }

    /** This module ("") and every descendant, pre-order; a module reachable twice is listed once, as in torch. */
    public final LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectModules(String prefix, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(this)) return;
        out.put(prefix, this);
        children.forEach((n, m) -> m.collectModules(join(prefix, n), out, seen));
    }

    /** Every parameter by full name, module by module in registration order; a tied tensor keeps its first name. */
    public final LinkedHashMap<String, Tensor> namedParameters() { return collectTensors(true); }

    public final List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Every buffer, persistent or not, by full name. */
    public final LinkedHashMap<String, Tensor> namedBuffers() { return collectTensors(false); }

    private LinkedHashMap<String, Tensor> collectTensors(boolean parameters) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        namedModules().forEach((prefix, m) -> (parameters ? m.params : m.buffers).forEach((n, t) -> {
            if (seen.add(t)) out.put(join(prefix, n), t);
        }));
        return out;
    }

    /** The parameter or buffer at a dotted name. */
    public final Tensor get(String dottedName) {
        int dot = dottedName.lastIndexOf('.');
        Module owner = dot < 0 ? this : submodule(dottedName.substring(0, dot));
        String local = dottedName.substring(dot + 1);
        Tensor t = owner.params.containsKey(local) ? owner.params.get(local) : owner.buffers.get(local);
        if (t == null) throw new IllegalArgumentException("no parameter or buffer named '" + dottedName + "'");
        return t;
    }

    /** The descendant at a dotted path ("" is this module). */
    public final Module submodule(String path) {
        Module m = this;
        if (path.isEmpty()) return m;
        for (String part : path.split("\\.", -1)) {
            Module next = m.children.get(part);
            if (next == null) throw new IllegalArgumentException("no submodule '" + part + "' on the way to '" + path + "'");
            m = next;
        }
        return m;
    }

    static String join(String prefix, String name) { return prefix.isEmpty() ? name : prefix + "." + name; }

    // ---------------------------------------------------------------- state dict

    /**
     * Parameters and persistent buffers under their full names, in torch's order (each module's own
     * parameters, then its buffers, then its children). Tied tensors appear under every name, as in
     * torch. The values are the module's live tensors, not copies.
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        params.forEach((n, t) -> out.put(join(prefix, n), t));
        buffers.forEach((n, t) -> { if (!nonPersistent.contains(n)) out.put(join(prefix, n), t); });
        children.forEach((n, m) -> m.collectState(join(prefix, n), out));
    }

    /** See {@link StateDictLoader#load}: copies in place, converting dtype; strict mode throws on any difference. */
    public final LoadResult loadStateDict(Map<String, Tensor> dict, boolean strict) {
        return StateDictLoader.load(this, dict, strict);
    }

    // ---------------------------------------------------------------- modes and training helpers

    /** Sets training mode on this module and every descendant (Dropout reads it). */
    public Module train(boolean mode) {
        for (Module m : namedModules().values()) m.training = mode;
        return this;
    }

    public final Module train() { return train(true); }

    public final Module eval() { return train(false); }

    public final boolean isTraining() { return training; }

    /**
     * Stops gradients for every parameter whose name matches (see {@link NamePattern} for the syntax:
     * globs with {@code *}, or {@code re:<regex>}). Returns the names it touched; a pattern that
     * matches nothing throws, because a typo would otherwise silently train everything.
     */
    public final List<String> freeze(String pattern) { return setRequiresGrad(pattern, false); }

    /** The reverse of {@link #freeze}, same pattern syntax. */
    public final List<String> unfreeze(String pattern) { return setRequiresGrad(pattern, true); }

    private List<String> setRequiresGrad(String pattern, boolean value) {
        Predicate<String> match = NamePattern.compile(pattern);
        List<String> touched = new ArrayList<>();
        namedParameters().forEach((n, t) -> {
            if (match.test(n)) {
                t.requiresGrad(value);
                touched.add(n);
            }
        });
        if (touched.isEmpty()) throw new IllegalArgumentException("pattern '" + pattern + "' matches no parameter");
        return touched;
    }

    /** Parameters that currently require gradients: what to hand an optimizer after freezing. */
    public final LinkedHashMap<String, Tensor> namedTrainableParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((n, t) -> { if (t.requiresGrad()) out.put(n, t); });
        return out;
    }

    public final List<Tensor> trainableParameters() { return new ArrayList<>(namedTrainableParameters().values()); }

    /** Number of parameter elements (tied tensors counted once). */
    public final long numParameters() { return count(parameters()); }

    public final long numTrainableParameters() { return count(trainableParameters()); }

    private static long count(List<Tensor> ts) {
        long n = 0;
        for (Tensor t : ts) n += t.numel();
        return n;
    }

    /** Drops every parameter's gradient (torch's zero_grad(set_to_none=True)). */
    public final void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    // ---------------------------------------------------------------- moving

    /**
     * Moves parameters and buffers to a device, replacing the registered tensors (requiresGrad and
     * gradients carry over). Build optimizers after moving: they hold the tensors they were given.
     */
    public final Module to(Device device) {
        return convert(t -> !t.device().equals(device), t -> t.to(device));
    }

    /** Casts floating-point parameters and buffers (integer buffers such as ids are left alone). */
    public final Module to(DType dtype) {
        if (!dtype.isFloating()) throw new IllegalArgumentException("modules can only be cast to a floating dtype, not " + dtype);
        return convert(t -> t.dtype().isFloating() && t.dtype() != dtype, t -> t.to(dtype));
    }

    private Module convert(Predicate<Tensor> needed, UnaryOperator<Tensor> f) {
        // One memo for the whole tree, so a tensor tied between two modules stays one tensor.
        Map<Tensor, Tensor> done = new IdentityHashMap<>();
        try (var s = GradMode.noGrad()) {
            for (Module m : namedModules().values()) {
                m.params.replaceAll((n, p) -> !needed.test(p) ? p : done.computeIfAbsent(p, old -> {
                    Tensor moved = dev.groundwork.engine.tensor.TensorScope.detach(f.apply(old).requiresGrad(old.requiresGrad())); // no graph: grad mode is off
                    if (old.grad() != null) moved.setGrad(f.apply(old.grad()));
                    return moved;
                }));
                m.buffers.replaceAll((n, b) -> !needed.test(b) ? b : done.computeIfAbsent(b, t -> dev.groundwork.engine.tensor.TensorScope.detach(f.apply(t))));
            }
        }
        return this;
    }

    // ---------------------------------------------------------------- printing

    /** One-line settings shown by {@link #toString()}, e.g. "in_features=4, out_features=2". */
    protected String extraRepr() { return ""; }

    /** The module tree in torch's print layout. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            sb.append('\n');
            children.forEach((n, m) -> sb.append("  (").append(n).append("): ")
                    .append(m.toString().replace("\n", "\n  ")).append('\n'));
        }
        return sb.append(')').toString();
    }
}

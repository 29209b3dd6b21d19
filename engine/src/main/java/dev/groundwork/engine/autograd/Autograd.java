package dev.groundwork.engine.autograd;

import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Records ops into the graph and runs reverse mode over it. */
public final class Autograd {
    private Autograd() {}

    /** Whether an op over these inputs must be recorded. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /**
     * Attaches a single-output op to the graph when any input requires a gradient. The backward
     * function maps the output gradient to one gradient per input (null where none is needed).
     */
    public static Tensor record(String name, Tensor output, Tensor[] inputs, Function<Tensor, Tensor[]> backward) {
        if (!needsGrad(inputs)) return output;
        GradFn fn = new GradFn(name, inputs) {
            @Override public Tensor[] backward(Tensor[] g) { return backward.apply(g[0]); }
        };
        output.setGradFn(fn, 0);
        return output;
    }

    /** Attaches a multi-output op: {@code fn.numOutputs()} must equal outputs.length. */
    public static Tensor[] record(GradFn fn, Tensor... outputs) {
        if (!needsGrad(fn.inputs())) return outputs;
        if (fn.numOutputs() != outputs.length)
            throw new IllegalStateException(fn.name() + " declares " + fn.numOutputs() + " outputs, got " + outputs.length);
        for (int i = 0; i < outputs.length; i++) outputs[i].setGradFn(fn, i);
        return outputs;
    }

    /**
     * Reverse-mode sweep from root, seeded with its gradient; leaf gradients accumulate into .grad.
     *
     * <p>The gradients of intermediate tensors are released as soon as the last node that reads them has run
     * (as PyTorch frees them), not when the caller's {@link TensorScope} closes: the sweep opens a scope of its
     * own, counts how many pending slots hold each gradient, and closes a gradient it created once no slot
     * holds it. Peak memory is then the activations plus the gradients on the current frontier, instead of
     * the activations plus the gradient of every intermediate. Only tensors created by this sweep are ever
     * closed (never the seed, a saved activation that a backward function hands back, or a gradient that
     * became a leaf's .grad, which leaves the scope).
     */
    public static void backward(Tensor root, Tensor rootGrad) {
        GradReadyHook hook = HOOK.get();
        if (!root.requiresGrad())
            throw new IllegalStateException("tensor " + Shape.str(root.shape()) + " does not require grad and has no grad_fn");
        if (!Arrays.equals(root.shape(), rootGrad.shape()))
            throw new IllegalArgumentException("gradient shape " + Shape.str(rootGrad.shape()) + " does not match output shape " + Shape.str(root.shape()));
        if (root.isLeaf()) {
            accumulateLeaf(root, rootGrad, false);
            if (hook != null) hook.ready(root);
            return;
        }
        List<GradFn> order = topologicalOrder(root.gradFn());
        Map<Tensor, int[]> leafEdges = hook == null ? null : leafEdges(order);
        Map<GradFn, Tensor[]> pending = new IdentityHashMap<>();
        Tensor[] seed = new Tensor[root.gradFn().numOutputs()];
        seed[root.outputNr()] = rootGrad;
        pending.put(root.gradFn(), seed);
        try (TensorScope sweep = TensorScope.open(); var s = GradMode.noGrad()) {
            Holders holders = new Holders(sweep);
            holders.hold(rootGrad);
            for (GradFn fn : order) {
                Tensor[] gradOut = pending.remove(fn);
                if (gradOut == null) {
                    if (hook != null) leavesDone(fn, leafEdges, hook);   // a node that receives nothing gives its leaves nothing
                    continue;
                }
                Tensor[] gradIn = runNode(fn, gradOut);
                Tensor[] inputs = fn.inputs();
                if (gradIn.length != inputs.length)
                    throw new IllegalStateException(fn.name() + " backward returned " + gradIn.length + " gradients for " + inputs.length + " inputs");
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    Tensor g = gradIn[i];
                    if (in == null || g == null || !in.requiresGrad()) continue;
                    if (!Arrays.equals(g.shape(), in.shape()))
                        throw new IllegalStateException(fn.name() + " backward produced gradient " + Shape.str(g.shape())
                                + " for input " + i + " of shape " + Shape.str(in.shape()));
                    if (in.isLeaf()) {
                        accumulateLeaf(in, g, sweep.owns(g) && fresh(g, gradIn, gradOut));
                    } else {
                        Tensor[] slot = pending.computeIfAbsent(in.gradFn(), f -> new Tensor[f.numOutputs()]);
                        int k = in.outputNr();
                        if (slot[k] == null) {
                            slot[k] = holders.hold(g);
                        } else {
                            Tensor previous = slot[k];
                            slot[k] = holders.hold(previous.add(g));
                            holders.release(previous);
                        }
                    }
                }
                // What this node read and what it produced but nothing holds (summed into a slot, copied into a
                // leaf's .grad, or for an input that needs none) is done with.
                for (Tensor o : gradOut) holders.release(o);
                for (Tensor g : gradIn) holders.closeIfUnheld(g);
                if (hook != null) leavesDone(fn, leafEdges, hook);
            }
        }
    }

    // ------------------------------------------------------------------ gradient-ready hook

    /** Told, during a backward sweep, that a leaf's gradient for this sweep is final. */
    @FunctionalInterface
    public interface GradReadyHook {
        /**
         * {@code leaf}'s {@code .grad} holds every contribution of this sweep (it may be null, or what an earlier
         * sweep left, when no path carried a gradient to it). Called on the sweeping thread, once per leaf that
         * requires a gradient and is an input of a node of the graph, as soon as the last such node has run.
         */
        void ready(Tensor leaf);
    }

    private static final ThreadLocal<GradReadyHook> HOOK = new ThreadLocal<>();

    /**
     * Installs {@code hook} for the backward sweeps this thread starts until the returned scope closes (the
     * previous hook is restored then). Data-parallel training uses it to all-reduce a bucket of gradients
     * while the sweep is still computing the others.
     */
    public static GradMode.Scope onGradReady(GradReadyHook hook) {
        GradReadyHook previous = HOOK.get();
        HOOK.set(hook);
        return () -> {
            if (previous == null) HOOK.remove();
            else HOOK.set(previous);
        };
    }

    /**
     * For each leaf that requires a gradient, how many (node, input slot) edges of the graph lead to it: its
     * gradient is final once that many have been processed (run, or skipped for lack of an incoming gradient).
     * Counted by identity, as the sweep's holders are.
     */
    private static Map<Tensor, int[]> leafEdges(List<GradFn> order) {
        Map<Tensor, int[]> edges = new IdentityHashMap<>();
        for (GradFn fn : order)
            for (Tensor in : fn.inputs())
                if (in != null && in.isLeaf() && in.requiresGrad()) edges.computeIfAbsent(in, t -> new int[1])[0]++;
        return edges;
    }

    /** Counts off {@code fn}'s edges to leaves and tells the hook of each leaf that has no edge left. */
    private static void leavesDone(GradFn fn, Map<Tensor, int[]> edges, GradReadyHook hook) {
        for (Tensor in : fn.inputs()) {
            if (in == null || !in.isLeaf() || !in.requiresGrad()) continue;
            int[] left = edges.get(in);
            if (--left[0] == 0) {
                edges.remove(in);
                hook.ready(in);
            }
        }
    }

    /**
     * One node's backward in a scope of its own: what it returns is handed to the sweep, every temporary it
     * made on the way (attention's dP, dP·Z, the row sums, dS, dS·k before scaling, ...) is closed when it
     * returns. Before, those stayed in the sweep's scope until the whole backward pass ended, and a B = 64
     * InterBERT pretraining step ran out of a 12 GiB heap in the middle of its backward pass. A returned
     * gradient that is a view of a temporary keeps the storage alive through its own reference.
     */
    private static Tensor[] runNode(GradFn fn, Tensor[] gradOut) {
        try (TensorScope node = TensorScope.open()) {
            Tensor[] gradIn = fn.backward(gradOut);
            for (Tensor g : gradIn) node.keep(g);
            return gradIn;
        }
    }

    /** How many pending slots (and the seed) hold each gradient of one sweep, by identity. */
    private static final class Holders {
        private final TensorScope sweep;
        private final Map<Tensor, int[]> counts = new IdentityHashMap<>();

        Holders(TensorScope sweep) { this.sweep = sweep; }

        Tensor hold(Tensor t) {
            counts.computeIfAbsent(t, x -> new int[1])[0]++;
            return t;
        }

        void release(Tensor t) {
            if (t == null) return;
            int[] c = counts.get(t);
            if (c != null && --c[0] == 0) counts.remove(t);
            closeIfUnheld(t);
        }

        void closeIfUnheld(Tensor t) {
            if (t != null && !counts.containsKey(t) && sweep.owns(t)) t.close();
        }
    }

    /**
     * Adds g into leaf.grad. The first gradient becomes .grad itself when {@code fresh} (no copy of
     * the parameter-sized buffer, as PyTorch steals it), else a copy; later ones are added in place.
     */
    private static void accumulateLeaf(Tensor leaf, Tensor g, boolean fresh) {
        try (var s = GradMode.noGrad()) {
            Tensor cur = leaf.grad();
            if (cur == null) leaf.setGrad(fresh ? g : g.detach().copy());
            else cur.backend().binary(BinaryOp.ADD, cur, g, cur);
        }
    }

    /**
     * Whether g, returned by a backward function (and created by this sweep: a tensor the function saved in
     * the forward and hands back is never adopted), is a buffer of its own that nothing else will read:
     * not one of the incoming gradients passed through (those may be shared with other nodes, e.g.
     * add hands its gradient to both inputs), returned for one input only, and the sole holder of a
     * storage that it fills exactly (a view of something else shares the storage, so refs > 1).
     */
    private static boolean fresh(Tensor g, Tensor[] gradIn, Tensor[] gradOut) {
        for (Tensor o : gradOut) if (o == g) return false;
        int uses = 0;
        for (Tensor o : gradIn) if (o == g) uses++;
        return uses == 1 && g.isContiguous() && g.offset() == 0 && g.storage().size() == g.numel() && g.storage().refs() == 1;
    }

    /** Nodes reachable from root, each before every node it feeds (iterative DFS, no recursion limit). */
    static List<GradFn> topologicalOrder(GradFn root) {
        List<GradFn> post = new ArrayList<>();
        Map<GradFn, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            GradFn fn = (GradFn) top[0];
            int next = (Integer) top[1];
            Tensor[] inputs = fn.inputs();
            if (next < inputs.length) {
                top[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.gradFn() != null && seen.put(in.gradFn(), Boolean.TRUE) == null)
                    stack.push(new Object[]{in.gradFn(), 0});
            } else {
                stack.pop();
                post.add(fn);
            }
        }
        java.util.Collections.reverse(post);
        return post;
    }
}

package dev.groundwork.engine.tensor;

import java.util.ArrayList;

/**
 * Deterministic release of the tensors a block of code creates. Java has no reference counting of
 * local variables, so the activations, autograd intermediates and temporaries of a training step
 * would otherwise hold device memory until the garbage collector happened to run:
 *
 * <pre>{@code
 * try (TensorScope step = TensorScope.open()) {
 *     Tensor loss = model.forward(batch).loss();
 *     loss.backward();            // .grad tensors leave the scope (see below)
 *     optimizer.step();           // optimizer state leaves the scope
 *     lossValue = loss.item();
 * }                               // every other tensor created in the block is closed here
 * }</pre>
 *
 * Every tensor constructed on this thread while a scope is open belongs to the innermost scope.
 * What must outlive it is detached: parameters and buffers registered with a module, gradients set
 * on a leaf, optimizer state ({@link #detach}), or a result handed to the enclosing scope
 * ({@link #keep}). Closing a tensor drops its storage reference; storage shared with a tensor that
 * lives on (a view of a parameter, say) stays alive. Scopes nest and must close innermost first.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

    private final TensorScope parent;
    private final Thread owner = Thread.currentThread();
    private final ArrayList<Tensor> owned = new ArrayList<>();
    /** Size of {@link #owned} at which tensors closed early or handed on are dropped from it. */
    private int compactAt = MIN_COMPACT;
    private static final int MIN_COMPACT = 1024;
    private boolean closed;

    private TensorScope(TensorScope parent) { this.parent = parent; }

    public static TensorScope open() {
        TensorScope s = new TensorScope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    public static TensorScope current() { return CURRENT.get(); }

    static void adopt(Tensor t) {
        TensorScope s = CURRENT.get();
        if (s != null) {
            if (s.owned.size() >= s.compactAt) s.compact();
            s.owned.add(t);
            t.scope = s;
        }
    }

    /**
     * Forgets tensors that were closed early (autograd releases consumed gradients mid-sweep) or handed on, so
     * that their memory can go before the scope closes: on the CPU a tensor's array is reclaimed by the
     * garbage collector only once nothing refers to it. Doubling the threshold keeps adoption amortised O(1).
     */
    private void compact() {
        owned.removeIf(t -> t.scope != this || t.isClosed());
        compactAt = Math.max(MIN_COMPACT, 2 * owned.size());
    }

    /** Whether this scope will close t (it was created here and neither kept nor detached). */
    public boolean owns(Tensor t) { return t.scope == this && !closed; }

    /** Takes t out of every scope: it lives until closed explicitly. Returns t. */
    public static Tensor detach(Tensor t) {
        if (t != null) t.scope = null;
        return t;
    }

    /** Hands t to the enclosing scope (or to none, at the outermost), so it outlives this one. Returns t. */
    public Tensor keep(Tensor t) {
        if (t != null && t.scope == this) {
            t.scope = parent;
            if (parent != null) parent.owned.add(t);
        }
        return t;
    }

    /** Tensors this scope will close. */
    public int size() {
        int n = 0;
        for (Tensor t : owned) if (t.scope == this && !t.isClosed()) n++;
        return n;
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) throw new IllegalStateException("a TensorScope must be closed on the thread that opened it");
        if (CURRENT.get() != this) throw new IllegalStateException("TensorScopes must close innermost first");
        closed = true;
        CURRENT.set(parent);
        for (Tensor t : owned) if (t.scope == this) t.close();
        owned.clear();
    }
}

package dev.groundwork.engine.autograd;

/**
 * Whether ops record the graph on this thread. {@code try (var s = GradMode.noGrad()) { ... }} turns
 * recording off for a block (evaluation, optimizer updates) and restores the previous state.
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {}

    public static boolean isEnabled() { return ENABLED.get(); }

    public static Scope noGrad() { return set(false); }

    public static Scope enableGrad() { return set(true); }

    private static Scope set(boolean enabled) {
        boolean previous = ENABLED.get();
        ENABLED.set(enabled);
        return () -> ENABLED.set(previous);
    }

    /** Restores the previous mode on close. */
    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}

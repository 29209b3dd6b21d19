package dev.groundwork.models.checkpoint;

/**
 * The pickle names a Python global outside the allow-list, or tries to call something that is not
 * callable here. Raised before anything is constructed: the reader never runs code from a file.
 */
public final class RefusedGlobalException extends PickleException {
    private final String global;

    public RefusedGlobalException(long offset, String global, String why) {
        super(offset, "refused global '" + global + "': " + why);
        this.global = global;
    }

    /** The dotted name of the refused global, e.g. {@code os.system}. */
    public String global() { return global; }
}

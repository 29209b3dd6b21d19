package dev.groundwork.models.checkpoint;

import java.nio.file.Path;

/**
 * A load that cannot be honoured, with nothing loaded: a strict load that found missing, unexpected or
 * mis-shaped names (all of them, in one message), or a checkpoint whose names for one tied tensor hold
 * different values. The message names the file where the load started from one.
 */
public final class WeightLoadException extends IllegalArgumentException {
    private final transient LoadReport report;

    public WeightLoadException(LoadReport report) { this(report.problems(), report); }

    public WeightLoadException(String message, LoadReport report) {
        super(message);
        this.report = report;
    }

    public LoadReport report() { return report; }

    /** The same failure, its message opening with the file it came from. */
    public WeightLoadException in(Path file) { return new WeightLoadException(file + ": " + getMessage(), report); }
}

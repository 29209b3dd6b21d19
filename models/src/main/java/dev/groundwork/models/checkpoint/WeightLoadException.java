package dev.groundwork.models.checkpoint;

/** A strict load that found missing, unexpected or mis-shaped names: all of them, in one message, with nothing loaded. */
public final class WeightLoadException extends IllegalArgumentException {
    private final transient LoadReport report;

    public WeightLoadException(LoadReport report) {
        super(report.problems());
        this.report = report;
    }

    public LoadReport report() { return report; }
}

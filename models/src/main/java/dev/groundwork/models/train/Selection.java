package dev.groundwork.models.train;

/** The validation metric that picks best.safetensors, and which direction is better. */
public record Selection(String metric, boolean higherIsBetter) {
    public static Selection min(String metric) { return new Selection(metric, false); }

    public static Selection max(String metric) { return new Selection(metric, true); }

    /** Whether {@code value} beats {@code best} (NaN = nothing yet). NaN values never win. */
    public boolean better(double value, double best) {
        if (Double.isNaN(value)) return false;
        return Double.isNaN(best) || (higherIsBetter ? value > best : value < best);
    }
}

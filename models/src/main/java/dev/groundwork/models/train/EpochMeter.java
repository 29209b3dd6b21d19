package dev.groundwork.models.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulates one epoch's step outputs into the numbers that are logged: {@code loss} (mean over
 * batches), {@code loss_sum} (sum over batches, the original's validation criterion, §9.20), the mean
 * of each component, and each accuracy in percent over all counted items (not a mean of batch means).
 */
public final class EpochMeter {
    private final Map<String, double[]> sums = new LinkedHashMap<>();   // {sum, batches}
    private final Map<String, long[]> hits = new LinkedHashMap<>();
    private double lossSum;
    private int batches;

    public void add(double loss, StepOutput out) {
        lossSum += loss;
        batches++;
        out.components().forEach((k, v) -> { double[] s = sums.computeIfAbsent(k, x -> new double[2]); s[0] += v; s[1]++; });
        out.hits().forEach((k, v) -> { long[] h = hits.computeIfAbsent(k, x -> new long[2]); h[0] += v[0]; h[1] += v[1]; });
    }

    public int batches() { return batches; }

    /** Mean loss so far (NaN before the first batch). */
    public double meanLoss() { return batches == 0 ? Double.NaN : lossSum / batches; }

    public Map<String, Double> summary() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", meanLoss());
        m.put("loss_sum", lossSum);
        sums.forEach((k, s) -> m.put(k, s[0] / s[1]));
        hits.forEach((k, h) -> m.put(k, h[1] == 0 ? Double.NaN : 100.0 * h[0] / h[1]));
        return m;
    }
}

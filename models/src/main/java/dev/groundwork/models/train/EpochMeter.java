package dev.groundwork.models.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulates one epoch's step outputs into the numbers that are logged: {@code loss} (mean over
 * batches), {@code loss_sum} (sum over batches, the original's validation criterion, §9.20), the mean
 * of each component, and each accuracy in percent over all counted items (not a mean of batch means).
 * Its sums travel in a checkpoint taken mid-epoch ({@link #state()}, {@link #restore}), so a resumed
 * epoch reports what the uninterrupted one would.
 */
public final class EpochMeter {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    /** The sums as JSON (doubles round-trip exactly), in insertion order. */
    String state() {
        ObjectNode n = JSON.createObjectNode();
        n.put("loss_sum", lossSum);
        n.put("batches", batches);
        ObjectNode s = n.putObject("sums"), h = n.putObject("hits");
        sums.forEach((k, v) -> s.putArray(k).add(v[0]).add(v[1]));
        hits.forEach((k, v) -> h.putArray(k).add(v[0]).add(v[1]));
        return n.toString();
    }

    /** A meter holding the sums {@link #state()} wrote. */
    static EpochMeter restore(String state) {
        JsonNode n;
        try {
            n = JSON.readTree(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checkpoint's epoch meter is not JSON: " + e.getOriginalMessage());
        }
        EpochMeter m = new EpochMeter();
        m.lossSum = n.path("loss_sum").asDouble();
        m.batches = n.path("batches").asInt();
        n.path("sums").properties().forEach(e -> m.sums.put(e.getKey(), new double[]{e.getValue().get(0).asDouble(), e.getValue().get(1).asDouble()}));
        n.path("hits").properties().forEach(e -> m.hits.put(e.getKey(), new long[]{e.getValue().get(0).asLong(), e.getValue().get(1).asLong()}));
        return m;
    }
}

package dev.groundwork.models.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Step-level logging: every {@code every} optimizer steps (counted over the whole run, so records fall
 * on the same steps after a resume) one record of the mean loss over those steps, the lr of the last
 * one and the throughput. The loss window travels in checkpoints ({@link #state()}); the throughput,
 * a wall-clock figure, restarts with the process.
 */
final class StepLog {
    private final int every;
    private double lossSum;
    private int steps;
    private long samples, since = System.nanoTime();

    /** @param every 0: off */
    StepLog(int every) { this.every = every; }

    /**
     * Counts one step; when {@code step} (the steps done, this one included) closes a window, returns
     * its record, else null.
     */
    Map<String, Object> add(long step, int epoch, double loss, int batchSamples, double lr) {
        if (every == 0) return null;
        lossSum += loss;
        steps++;
        samples += batchSamples;
        if (step % every != 0) return null;
        long now = System.nanoTime();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put(MetricsLog.KIND, MetricsLog.STEP);
        r.put(MetricsLog.STEP, step);
        r.put(MetricsLog.EPOCH, epoch);
        r.put("loss", lossSum / steps);
        r.put("lr", lr);
        r.put("samples_per_s", samples / Math.max(1e-9, (now - since) / 1e9));
        lossSum = 0;
        steps = 0;
        samples = 0;
        since = now;
        return r;
    }

    /** The progress line for a record {@link #add} returned. */
    static String line(String label, Map<String, Object> r) {
        return String.format(Locale.ROOT, "%s step %d  epoch %d  loss %.4f  lr %.3g  %.1f samples/s", label, (Long) r.get(MetricsLog.STEP),
                (Integer) r.get(MetricsLog.EPOCH), (Double) r.get("loss"), (Double) r.get("lr"), (Double) r.get("samples_per_s"));
    }

    /** The open window's loss sum and step count, "sum,steps" (Double.toString round-trips exactly). */
    String state() { return lossSum + "," + steps; }

    void restore(String state) {
        String[] p = state.split(",");
        lossSum = Double.parseDouble(p[0]);
        steps = Integer.parseInt(p[1]);
    }
}

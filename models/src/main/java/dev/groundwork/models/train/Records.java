package dev.groundwork.models.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** The epoch and partial-epoch records the {@link Trainer} appends to {@link MetricsLog} (step records: {@link StepLog}). */
final class Records {
    private Records() {}

    static Map<String, Object> epoch(int epoch, long step, double lr, Map<String, Double> train, Map<String, Double> val,
                                     int bestEpoch, double best, double elapsed) {
        Map<String, Object> r = head(MetricsLog.EPOCH, epoch, step);
        r.put("lr", lr);
        r.put("train", train);
        if (val != null) r.put("val", val);
        return tail(r, bestEpoch, best, elapsed);
    }

    /** An epoch a step limit stopped after {@code batches} of {@code batchesPerEpoch}: the training summary so far, no validation. */
    static Map<String, Object> partial(int epoch, long step, int batches, int batchesPerEpoch, double lr, Map<String, Double> train,
                                       int bestEpoch, double best, double elapsed) {
        Map<String, Object> r = head(MetricsLog.PARTIAL, epoch, step);
        r.put(MetricsLog.BATCHES, batches);
        r.put(MetricsLog.BATCHES_PER_EPOCH, batchesPerEpoch);
        r.put("lr", lr);
        r.put("train", train);
        return tail(r, bestEpoch, best, elapsed);
    }

    private static Map<String, Object> head(String kind, int epoch, long step) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put(MetricsLog.KIND, kind);
        r.put(MetricsLog.EPOCH, epoch);
        r.put(MetricsLog.STEP, step);
        return r;
    }

    private static Map<String, Object> tail(Map<String, Object> r, int bestEpoch, double best, double elapsed) {
        r.put(Trainer.BEST_EPOCH, bestEpoch);
        r.put(Trainer.BEST_METRIC, best);
        r.put("elapsed_s", elapsed);
        return r;
    }
}

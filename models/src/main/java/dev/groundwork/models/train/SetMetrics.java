package dev.groundwork.models.train;

import java.util.Map;

/**
 * Validation metrics of the whole set that no batch gives alone: retrieval's R@K ranks every image against
 * every caption, so it needs all of them before it can say anything. The {@link Trainer} makes one per
 * validation pass ({@link StageTask#validationSet}), hands it every batch in eval mode without gradients,
 * and adds its {@link #summary} to the pass's means; the names must not clash with the batch metrics.
 */
public interface SetMetrics<B> {
    /** Takes what it needs of one validation batch (plain numbers: the batch's tensors are released after it). */
    void add(B batch);

    /** The metrics over every batch added, by name. */
    Map<String, Double> summary();
}

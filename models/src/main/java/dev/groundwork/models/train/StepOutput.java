package dev.groundwork.models.train;

import dev.groundwork.engine.tensor.Tensor;

import java.util.Map;

/**
 * One batch's result.
 *
 * @param loss       the scalar to minimise (autograd graph attached in training)
 * @param components named loss parts for the log (e.g. loss_i2l), already plain numbers
 * @param hits       named accuracies as {hits, total} counts, summed over the epoch (e.g. relation_acc1)
 * @param size       images in the batch, for throughput
 */
public record StepOutput(Tensor loss, Map<String, Double> components, Map<String, long[]> hits, int size) {
    /** The symmetric contrastive step (stage 2 and transfer): loss = i2l + l2i, both logged. */
    public static StepOutput twoWay(Tensor[] losses, int size) {
        Map<String, Double> parts = new java.util.LinkedHashMap<>();
        parts.put("loss_i2l", losses[0].item());
        parts.put("loss_l2i", losses[1].item());
        return new StepOutput(losses[0].add(losses[1]), parts, Map.of(), size);
    }
}

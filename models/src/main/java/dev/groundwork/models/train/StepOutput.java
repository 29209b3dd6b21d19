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
public record StepOutput(Tensor loss, Map<String, Double> components, Map<String, long[]> hits, int size) {}

package dev.groundwork.models.data;

import dev.groundwork.engine.tensor.Tensor;

/**
 * A batch of labelled images (VG-BERT stage 1, ImageNet folders, spec §1.6).
 *
 * @param images  [B,3,S,S] F32, ImageNet-normalised
 * @param labels  [B] I64 class index (folder order, sorted by name)
 * @param indices the dataset index of each row
 */
public record ImageBatch(Tensor images, Tensor labels, int[] indices) {}

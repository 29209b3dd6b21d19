package dev.groundwork.models.data;

import dev.groundwork.engine.tensor.Tensor;

/**
 * A batch of images with one caption each (VG-BERT stage 2 and retrieval transfer, spec §5.5).
 *
 * @param images  [B,3,S,S] F32, ImageNet-normalised
 * @param ids     [B,T] I64 token ids ("[CLS] caption [SEP]", padded with 0)
 * @param types   [B,T] I64 token type ids (all 1, spec §2.2)
 * @param mask    [B,T] I64, 1 for real tokens
 * @param nwords  [B] I64 real-token count including [CLS]/[SEP], capped at T
 * @param indices the dataset index of each row (for error reports and retrieval bookkeeping)
 */
public record CaptionBatch(Tensor images, Tensor ids, Tensor types, Tensor mask, Tensor nwords, int[] indices) {}

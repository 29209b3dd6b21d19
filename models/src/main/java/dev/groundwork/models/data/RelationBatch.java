package dev.groundwork.models.data;

import dev.groundwork.engine.tensor.Tensor;

/**
 * A batch of Visual Genome images with their object phrases and relations (VG-BERT stage 3, spec §4.1).
 *
 * @param images         [B,3,S,S] F32, ImageNet-normalised
 * @param ids            [B,O,L] I64 phrase token ids ("[CLS] phrase [SEP]")
 * @param types          [B,O,L] I64 (all 1)
 * @param mask           [B,O,L] I64 token masks
 * @param objectMask     [B,O] F32, 1 for the first min(N,O) objects
 * @param objectTarget   [B,O] I64 object classes, 0 = ignored/padding
 * @param relationTarget [B,O,O] I64 predicate ids, 0 = no relation
 * @param indices        the dataset index of each row
 */
public record RelationBatch(Tensor images, Tensor ids, Tensor types, Tensor mask, Tensor objectMask,
                            Tensor objectTarget, Tensor relationTarget, int[] indices) {}

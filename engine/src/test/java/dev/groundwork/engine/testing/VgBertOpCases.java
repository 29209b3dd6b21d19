package dev.groundwork.engine.testing;

import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.tensor.Tensor;

import java.util.List;

import static dev.groundwork.engine.testing.OpCase.of;
import static dev.groundwork.engine.testing.OpCase.outputs;
import static dev.groundwork.engine.testing.OpInput.lengths;
import static dev.groundwork.engine.testing.OpInput.normal;

/**
 * The VG-BERT ops' rows of {@link OpCases} (spec 3.2-3.3, 5.2 and stage 3), kept apart because these
 * ops are research ops with their own facade rather than engine primitives. On CUDA each has a fused
 * kernel; the CPU runs the composition it is checked against.
 */
final class VgBertOpCases {
    private VgBertOpCases() {}

    static List<OpCase> all() {
        return List.of(
                of("bilinear_relation", t -> VgBertOps.bilinearRelation(t[0], t[1]), normal(3, 7, 5), normal(4, 5, 5))
                        .covers(VgBertOps.class, "bilinearRelation").parityTol(1e-5),
                // VG-BERT's shape: 32 objects of subspace 32, 115 relations.
                of("bilinear_relation_32x32x115", t -> VgBertOps.bilinearRelation(t[0], t[1]), normal(2, 32, 32), normal(115, 32, 32)).parityTol(1e-5),
                // nwords holds a 0 and a length past T (both clamps of n = max(1, min(nwords, T))).
                of("matchmap_similarity", t -> VgBertOps.matchmapSimilarity(t[0], t[1], t[2]), normal(5, 24, 3, 3), normal(5, 6, 24), lengths(6, 5))
                        .covers(VgBertOps.class, "matchmapSimilarity").parityTol(1e-5),
                // A data-parallel rank's blocks (global negatives): its 2 images against 6 gathered captions, and back.
                of("matchmap_similarity_rows", t -> VgBertOps.matchmapSimilarity(t[0], t[1], t[2]), normal(2, 12, 2, 3), normal(6, 5, 12), lengths(5, 6))
                        .parityTol(1e-5),
                of("matchmap_similarity_columns", t -> VgBertOps.matchmapSimilarity(t[0], t[1], t[2]), normal(6, 12, 2, 3), normal(2, 5, 12), lengths(5, 2))
                        .parityTol(1e-5),
                outputs("matchmap_contrastive", t -> pair(VgBertOps.matchmapContrastive(t[0], t[1], t[2], 0.1)), normal(4, 16, 3, 3), normal(4, 5, 16), lengths(5, 4))
                        .covers(VgBertOps.class, "matchmapContrastive").parityTol(1e-5),
                outputs("two_way_contrastive", t -> pair(VgBertOps.twoWayContrastive(t[0], 0.1)), normal(7, 7))
                        .covers(VgBertOps.class, "twoWayContrastive").parityTol(1e-5),
                outputs("pooled_contrastive", t -> pair(VgBertOps.pooledContrastive(t[0], t[1], 0.07)), normal(6, 37), normal(6, 37))
                        .covers(VgBertOps.class, "pooledContrastive").parityTol(1e-5));
    }

    /** {loss_i2l, loss_l2i} as the case's two outputs, each probed and compared on its own. */
    private static List<Tensor> pair(Tensor[] losses) { return List.of(losses); }
}

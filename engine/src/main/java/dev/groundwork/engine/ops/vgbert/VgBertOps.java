package dev.groundwork.engine.ops.vgbert;

import dev.groundwork.engine.tensor.Tensor;

/**
 * VG-BERT's ops (spec §3-§5), the facade models call: each entry delegates to the class that holds
 * that op's forward and backward side by side, with the interface of its fused kernel next to it
 * ({@link MatchmapSimilarity.Kernel}, {@link TwoWayContrastive.Kernel}, {@link BilinearRelation.Kernel}).
 * A backend offers those through {@code Backend.kernel(Class)}; without one the op composes the
 * engine's primitives, on every backend. The engine's core ({@code F}, {@code Backend}) knows
 * nothing of these ops: this package depends on {@code ops}, never the other way round.
 */
public final class VgBertOps {
    private VgBertOps() {}

    /** Stage-2 loss (spec 3.2-3.3): the matchmap similarity, then the two-way contrastive loss; returns {loss_i2l, loss_l2i}. */
    public static Tensor[] matchmapContrastive(Tensor image, Tensor language, Tensor nwords, double sigma) {
        return TwoWayContrastive.losses(MatchmapSimilarity.similarity(image, language, nwords), sigma);
    }

    /** Transfer loss (spec 5.2): cosine similarity of pooled vectors; returns {loss_i2l, loss_l2i}. */
    public static Tensor[] pooledContrastive(Tensor image, Tensor language, double sigma) {
        return TwoWayContrastive.pooled(image, language, sigma);
    }

    /** scores[b,r,i,j] = objects[b,i,:] . relations[r] . objects[b,j,:]; objects [B,T,S], relations [R,S,S] (spec 4.3). */
    public static Tensor bilinearRelation(Tensor objects, Tensor relations) { return BilinearRelation.scores(objects, relations); }

    /**
     * sim[i,c] = (1/n_c) sum_{t < n_c} max_p <image_i[:,p], language_c[t]>, n_c = max(1, min(nwords_c, T));
     * image [B,D,H,W], language [B,T,D], nwords [B] (I64).
     */
    public static Tensor matchmapSimilarity(Tensor image, Tensor language, Tensor nwords) {
        return MatchmapSimilarity.similarity(image, language, nwords);
    }

    /** {loss_i2l, loss_l2i} of a [B,B] similarity whose diagonal holds the positives. */
    public static Tensor[] twoWayContrastive(Tensor sim, double sigma) { return TwoWayContrastive.losses(sim, sigma); }
}

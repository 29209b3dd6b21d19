package dev.groundwork.models.vgbert;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Recall@K for paired embeddings (image i goes with caption i), on the cosine similarity the transfer
 * loss uses. Not in the original (§5.3, §9.26): a new addition for the demo's report.
 */
public final class RetrievalMetrics {
    private RetrievalMetrics() {}

    /** {image→text R@k..., text→image R@k...} in percent. */
    public static double[] recall(Tensor images, Tensor texts, int[] ks) {
        int n = images.size(0);
        Tensor sim = F.normalize(images, 1, 1e-12).matmul(F.normalize(texts, 1, 1e-12).mT()).detach().contiguous();
        long[] diag = new long[n];
        for (int i = 0; i < n; i++) diag[i] = i;
        long[] i2t = RelationLosses.topK(sim, diag, ks, -1);
        long[] t2i = RelationLosses.topK(sim.mT().contiguous(), diag, ks, -1);
        double[] out = new double[2 * ks.length];
        for (int k = 0; k < ks.length; k++) {
            out[k] = 100.0 * i2t[k] / n;
            out[ks.length + k] = 100.0 * t2i[k] / n;
        }
        return out;
    }
}

package dev.groundwork.engine.ops.vgbert;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.ops.Fused;
import dev.groundwork.engine.ops.FusedResult;
import dev.groundwork.engine.ops.Indexing;
import dev.groundwork.engine.ops.Out;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.List;

/**
 * VG-BERT's matchmap similarity (spec 3.2), the stage-2 loss's first half: for every image i and
 * caption c, the mean over c's words of the word's best dot product with any of i's cells. Forward
 * and backward side by side, as one autograd node; {@link TwoWayContrastive} turns it into the loss.
 */
public final class MatchmapSimilarity {
    private MatchmapSimilarity() {}

    /** A backend's fused matchmap similarity (CUDA: matchmap.cu); null from either means "compose". */
    public interface Kernel {
        /** sim [B,B] as {@link #similarity} defines it; inputs image, language, nwords. */
        FusedResult matchmapSimilarity(Tensor image, Tensor language, Tensor nwords, boolean forBackward);
    }

    /**
     * sim[i,c] = (1/n_c) sum_{t < n_c} max_p <image_i[:,p], language_c[t]>, n_c = max(1, min(nwords_c, T)).
     * Image and language counts may differ (sim [Bi,Bl]): a data-parallel rank scores its own images
     * against every rank's captions; the fused kernel serves the square case.
     *
     * <p>Computed one image at a time ([B*T, D] x [D, P] then max over P), so memory is O(B*T*P) for a
     * single image plus the O(B^2*T) argmax kept for backward, never the O(B^2*T*P) matchmap.
     * Gradients flow only through each (i, c, t)'s winning cell.
     */
    public static Tensor similarity(Tensor image, Tensor language, Tensor nwords) {
        Out.rank("matchmap", "image", image, 4);
        Out.rank("matchmap", "language", language, 3);
        Out.integral("matchmap", "nwords", nwords);
        int bi = image.size(0), b = language.size(0), d = image.size(1), p = image.size(2) * image.size(3), t = language.size(1);
        if (language.size(2) != d)
            throw new IllegalArgumentException("matchmap: language " + Shape.str(language.shape()) + " must be [B,T," + d + "] for image " + Shape.str(image.shape()));
        Out.shape("matchmap", "nwords", nwords, b);
        Kernel kernel = bi == b ? image.backend().kernel(Kernel.class) : null;
        Tensor fused = kernel == null ? null : Fused.run("matchmap_similarity",
                kernel.matchmapSimilarity(image, language, nwords, Autograd.needsGrad(image, language)), image, language, nwords);
        if (fused != null) return fused;
        long[] nw = nwords.toLongArray();
        double[] weight = new double[b * t];           // mask[c,t] / n_c
        for (int c = 0; c < b; c++) {
            int n = (int) Math.max(1, Math.min(nw[c], t));
            for (int k = 0; k < n; k++) weight[c * t + k] = 1.0 / n;
        }
        Tensor w = Tensor.of(weight, b * t).to(image.dtype()).to(image.device());
        Tensor img = image.reshape(bi, d, p);
        Tensor lang = language.reshape(b * t, d);
        Tensor[] argmax = new Tensor[bi];
        Tensor sim;
        try (var s = GradMode.noGrad()) {
            Tensor[] rows = new Tensor[bi];
            for (int i = 0; i < bi; i++) {
                var best = lang.matmul(img.select(0, i)).max(1, false);   // [B*T]
                argmax[i] = best.indices();
                rows[i] = best.values().mul(w).reshape(b, t).sum(1, false);
            }
            sim = Indexing.stack(List.of(rows), 0);
        }
        return Autograd.record("matchmap_similarity", sim, new Tensor[]{image, language, null}, g -> {
            // Cells as rows [B,P,D], copied once, so each gather below moves whole contiguous rows.
            Tensor cells = img.permute(0, 2, 1).contiguous();
            Tensor gImg = Tensor.zeros(image.dtype(), image.device(), bi, p, d);
            Tensor gLang = Tensor.zeros(language.dtype(), language.device(), b * t, d);
            for (int i = 0; i < bi; i++) {
                // dMax[c,t] = dSim[i,c] * mask[c,t] / n_c
                Tensor dMax = g.select(0, i).unsqueeze(1).expand(b, t).reshape(b * t).mul(w).unsqueeze(1);  // [B*T,1]
                Tensor won = Indexing.indexSelect(cells.select(0, i), 0, argmax[i]).mul(dMax);             // [B*T,D]
                gLang.backend().binary(BinaryOp.ADD, gLang, won, gLang);                                   // in place
                Tensor gi = gImg.select(0, i);
                gi.backend().indexAdd(gi, 0, argmax[i], lang.mul(dMax));
            }
            return new Tensor[]{
                    gImg.permute(0, 2, 1).reshape(image.shape()),
                    gLang.reshape(language.shape()),
                    null};
        });
    }
}

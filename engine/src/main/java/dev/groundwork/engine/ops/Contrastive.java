package dev.groundwork.engine.ops;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.backend.BinaryOp;
import dev.groundwork.engine.backend.FusedKernels;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * VG-BERT's image-text contrastive losses (spec 3.2-3.3 and 5.2). Both end in the symmetric
 * InfoNCE over a B x B similarity: the mean cross entropy of the rows of S/sigma against the
 * diagonal (image to language) and of its columns (language to image).
 */
public final class Contrastive {
    private Contrastive() {}

    /** {loss_i2l, loss_l2i} of a [B,B] similarity whose diagonal holds the positives. */
    public static Tensor[] twoWay(Tensor sim, double sigma) {
        int b = sim.size(0);
        Out.shape("contrastive", "similarity", sim, b, b);
        Tensor both = Fused.run("contrastive_two_way", sim.backend() instanceof FusedKernels f
                ? f.twoWayContrastive(sim, sigma, Autograd.needsGrad(sim)) : null, sim);
        if (both != null) return new Tensor[]{both.select(0, 0), both.select(0, 1)};
        long[] diag = new long[b];
        for (int i = 0; i < b; i++) diag[i] = i;
        Tensor target = Tensor.ofLongs(diag, b).to(sim.device());
        Tensor logits = sim.div(sigma);
        return new Tensor[]{
                Losses.crossEntropy(logits, target, -1, Losses.Reduction.MEAN),
                Losses.crossEntropy(logits.mT(), target, -1, Losses.Reduction.MEAN)};
    }

    /** Transfer loss: cosine similarity of pooled image [B,D] and language [B,D] vectors (eps 1e-12). */
    public static Tensor[] pooled(Tensor image, Tensor language, double sigma) {
        Out.rank("pooled_contrastive", "image", image, 2);
        Out.shape("pooled_contrastive", "language", language, image.shape());
        Tensor sim = Normalization.normalize(image, 1, 1e-12).matmul(Normalization.normalize(language, 1, 1e-12).mT());
        return twoWay(sim, sigma);
    }

    /** Stage-2 loss: the matchmap similarity below, then {@link #twoWay}. */
    public static Tensor[] matchmap(Tensor image, Tensor language, Tensor nwords, double sigma) {
        return twoWay(matchmapSimilarity(image, language, nwords), sigma);
    }

    /**
     * sim[i,c] = (1/n_c) sum_{t < n_c} max_p <image_i[:,p], language_c[t]>, n_c = max(1, min(nwords_c, T)).
     *
     * <p>Computed one image at a time ([B*T, D] x [D, P] then max over P), so memory is O(B*T*P) for a
     * single image plus the O(B^2*T) argmax kept for backward, never the O(B^2*T*P) matchmap.
     * Gradients flow only through each (i, c, t)'s winning cell.
     */
    public static Tensor matchmapSimilarity(Tensor image, Tensor language, Tensor nwords) {
        Out.rank("matchmap", "image", image, 4);
        Out.rank("matchmap", "language", language, 3);
        Out.integral("matchmap", "nwords", nwords);
        int b = image.size(0), d = image.size(1), p = image.size(2) * image.size(3), t = language.size(1);
        if (language.size(0) != b || language.size(2) != d)
            throw new IllegalArgumentException("matchmap: language " + Shape.str(language.shape()) + " must be [" + b + ",T," + d + "] for image " + Shape.str(image.shape()));
        Out.shape("matchmap", "nwords", nwords, b);
        Tensor fused = Fused.run("matchmap_similarity", image.backend() instanceof FusedKernels f
                ? f.matchmapSimilarity(image, language, nwords, Autograd.needsGrad(image, language)) : null, image, language, nwords);
        if (fused != null) return fused;
        long[] nw = nwords.toLongArray();
        double[] weight = new double[b * t];           // mask[c,t] / n_c
        for (int c = 0; c < b; c++) {
            int n = (int) Math.max(1, Math.min(nw[c], t));
            for (int k = 0; k < n; k++) weight[c * t + k] = 1.0 / n;
        }
        Tensor w = Tensor.of(weight, b * t).to(image.dtype()).to(image.device());
        Tensor img = image.reshape(b, d, p);
        Tensor lang = language.reshape(b * t, d);
        Tensor[] argmax = new Tensor[b];
        Tensor sim;
        try (var s = GradMode.noGrad()) {
            Tensor[] rows = new Tensor[b];
            for (int i = 0; i < b; i++) {
                var best = lang.matmul(img.select(0, i)).max(1, false);   // [B*T]
                argmax[i] = best.indices();
                rows[i] = best.values().mul(w).reshape(b, t).sum(1, false);
            }
            sim = Indexing.stack(java.util.List.of(rows), 0);
        }
        return Autograd.record("matchmap_similarity", sim, new Tensor[]{image, language, null}, g -> {
            // Cells as rows [B,P,D], copied once, so each gather below moves whole contiguous rows.
            Tensor cells = img.permute(0, 2, 1).contiguous();
            Tensor gImg = Tensor.zeros(image.dtype(), image.device(), b, p, d);
            Tensor gLang = Tensor.zeros(language.dtype(), language.device(), b * t, d);
            for (int i = 0; i < b; i++) {
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

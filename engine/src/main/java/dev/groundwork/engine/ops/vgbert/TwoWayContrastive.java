package dev.groundwork.engine.ops.vgbert;

import dev.groundwork.engine.autograd.Autograd;
import dev.groundwork.engine.ops.Fused;
import dev.groundwork.engine.ops.FusedResult;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.ops.Normalization;
import dev.groundwork.engine.ops.Out;
import dev.groundwork.engine.tensor.Tensor;

/**
 * VG-BERT's symmetric InfoNCE over a B x B similarity (spec 3.3, and 5.2 for the transfer loss):
 * the mean cross entropy of the rows of S/sigma against the diagonal (image to language) and of its
 * columns (language to image). Composed from cross entropy here; a backend may fuse it.
 */
public final class TwoWayContrastive {
    private TwoWayContrastive() {}

    /** A backend's fused two-way contrastive loss (CUDA: contrastive.cu); null from either means "compose". */
    public interface Kernel {
        /** The output is [2] = {loss_i2l, loss_l2i}; input sim [B,B] with the positives on its diagonal. */
        FusedResult twoWayContrastive(Tensor sim, double sigma, boolean forBackward);
    }

    /** {loss_i2l, loss_l2i} of a [B,B] similarity whose diagonal holds the positives. */
    public static Tensor[] losses(Tensor sim, double sigma) {
        int b = sim.size(0);
        Out.shape("contrastive", "similarity", sim, b, b);
        Kernel kernel = sim.backend().kernel(Kernel.class);
        Tensor both = kernel == null ? null : Fused.run("contrastive_two_way", kernel.twoWayContrastive(sim, sigma, Autograd.needsGrad(sim)), sim);
        if (both != null) return new Tensor[]{both.select(0, 0), both.select(0, 1)};
        long[] diag = new long[b];
        for (int i = 0; i < b; i++) diag[i] = i;
        Tensor target = Tensor.ofLongs(diag, b).to(sim.device());
        Tensor logits = sim.div(sigma);
        return new Tensor[]{
                Losses.crossEntropy(logits, target, -1, Losses.Reduction.MEAN),
                Losses.crossEntropy(logits.mT(), target, -1, Losses.Reduction.MEAN)};
    }

    /** The transfer loss: the two-way loss over the cosine similarity of pooled image [B,D] and language [B,D] vectors (eps 1e-12). */
    public static Tensor[] pooled(Tensor image, Tensor language, double sigma) {
        Out.rank("pooled_contrastive", "image", image, 2);
        Out.shape("pooled_contrastive", "language", language, image.shape());
        Tensor sim = Normalization.normalize(image, 1, 1e-12).matmul(Normalization.normalize(language, 1, 1e-12).mT());
        return losses(sim, sigma);
    }
}

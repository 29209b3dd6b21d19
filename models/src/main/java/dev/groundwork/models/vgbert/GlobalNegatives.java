package dev.groundwork.models.vgbert;

import dev.groundwork.engine.dist.Communicator;
import dev.groundwork.engine.dist.GatherWithGrad;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.ops.Normalization;
import dev.groundwork.engine.ops.vgbert.MatchmapSimilarity;
import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.tensor.Tensor;

/**
 * The contrastive losses of stage 2 (§3.3) and the transfer (§5.2) with in-batch negatives taken from
 * the global batch of a data-parallel run. Each rank gathers every rank's embeddings with their
 * gradient ({@link GatherWithGrad}), then scores its own images against all captions (image to
 * language) and its own captions against all images (language to image): OpenCLIP's "local loss".
 * The positives of rank r's rows sit at columns r·b .. r·b+b−1. The mean over ranks of these losses is
 * the single-process loss of the N·b batch, so N processes × b samples train as one process with N·b.
 *
 * <p>{@code --negatives local} instead keeps the original's behaviour (spec §6.1, §9.7): under
 * DataParallel each replica scored only its own B/n_gpu chunk, which is the ordinary square loss on
 * each rank's batch. With one process both are the same loss.
 */
public final class GlobalNegatives {
    /** Where a data-parallel rank takes its in-batch negatives from. */
    public enum Mode {
        /** Every rank's samples (the single-device full batch, spec §9.7's recommendation). */
        GLOBAL,
        /** The rank's own samples only (the original's per-replica DataParallel loss). */
        LOCAL
    }

    private GlobalNegatives() {}

    /** Stage 2: image maps [b,D,h,w], words [b,T,D], nwords [b]; returns {loss_i2l, loss_l2i}. */
    public static Tensor[] matchmap(Communicator comm, Tensor image, Tensor language, Tensor nwords, double sigma) {
        if (comm.size() == 1) return VgBertOps.matchmapContrastive(image, language, nwords, sigma);
        Tensor allImages = GatherWithGrad.allGather(image, comm), allWords = GatherWithGrad.allGather(language, comm);
        Tensor allN = comm.allGather(nwords);
        Tensor rows = MatchmapSimilarity.similarity(image, allWords, allN);      // [b, N·b]
        Tensor cols = MatchmapSimilarity.similarity(allImages, language, nwords); // [N·b, b]
        return twoWay(rows, cols.mT(), comm.rank() * image.size(0), sigma);
    }

    /** Transfer: pooled image [b,D] and language [b,D] vectors, cosine similarity; returns {loss_i2l, loss_l2i}. */
    public static Tensor[] pooled(Communicator comm, Tensor image, Tensor language, double sigma) {
        if (comm.size() == 1) return VgBertOps.pooledContrastive(image, language, sigma);
        Tensor img = Normalization.normalize(image, 1, 1e-12), lang = Normalization.normalize(language, 1, 1e-12);
        Tensor allImg = GatherWithGrad.allGather(img, comm), allLang = GatherWithGrad.allGather(lang, comm);
        return twoWay(img.matmul(allLang.mT()), lang.matmul(allImg.mT()), comm.rank() * image.size(0), sigma);
    }

    /** Mean cross entropy of rows [b, N·b] (images) and of language rows [b, N·b], positives at offset + i. */
    private static Tensor[] twoWay(Tensor imageRows, Tensor languageRows, int offset, double sigma) {
        int b = imageRows.size(0);
        long[] target = new long[b];
        for (int i = 0; i < b; i++) target[i] = offset + i;
        Tensor t = Tensor.ofLongs(target, b).to(imageRows.device());
        return new Tensor[]{
                Losses.crossEntropy(imageRows.div(sigma), t, -1, Losses.Reduction.MEAN),
                Losses.crossEntropy(languageRows.div(sigma), t, -1, Losses.Reduction.MEAN)};
    }
}

package dev.groundwork.models.interbert;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.dist.Communicator;
import dev.groundwork.engine.dist.ReduceOp;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * The three pretraining losses exactly as the original codes them (spec 2.4), each a scalar. Spec 8.5 lists
 * the asymmetry (MLM counts mismatched pairs, MRM does not) and recommends keeping it as coded, as done here:
 * <ul>
 *   <li>MLM: cross entropy over every position whose label is not -1, mismatched pairs included;</li>
 *   <li>MRM: over the labelled regions (label 1) of matched pairs (is_next 0) only, the KL divergence
 *       Σ_c t (log t − log softmax(z)) (terms with t = 0 give 0), or with predict_feature the squared error
 *       summed over the feature, divided by max(1, number of such regions); the global row is dropped;</li>
 *   <li>ITM: cross entropy of the two-way score, label -1 ignored.</li>
 * </ul>
 * As in PyTorch, a cross entropy with no label left to count is NaN (0/0); the region loss is 0 then.
 *
 * <p><b>Over several data-parallel ranks</b> ({@link #of(InterBertPreTrainingHeads.Output, PretrainingLabels, boolean, Communicator)}):
 * the MLM and MRM means are taken over the labelled tokens and regions of the <em>global</em> batch. Each rank
 * divides its sum by the global count (one all-reduce of two integers per step) and multiplies by the number
 * of ranks, which the gradient average divides out again; so N ranks with b samples each compute the loss
 * and the gradients of one process with N·b, which is what {@code --batch-size} (the global batch) promises.
 * The original's DDP averaged each GPU's own mean instead, which weighs a token of a GPU that masked few
 * more than one of a GPU that masked many (its masking draws a different count per GPU). The two agree
 * when every rank labels as many tokens and regions. ITM is a mean over rows, equal on every rank.
 */
public record PretrainingLosses(Tensor maskedLmLoss, Tensor maskedImgLoss, Tensor nextSentenceLoss) {

    /** text 1 + image 1 + ITM 1: the original's default weights (spec 2.4). */
    public Tensor total() { return maskedLmLoss.add(maskedImgLoss).add(nextSentenceLoss); }

    static PretrainingLosses of(InterBertPreTrainingHeads.Output scores, PretrainingLabels labels, boolean predictFeature) {
        return of(scores, labels, predictFeature, null);
    }

    /** As coded on one process; with {@code group} of more than one rank, the means over the global batch (above). */
    static PretrainingLosses of(InterBertPreTrainingHeads.Output scores, PretrainingLabels labels, boolean predictFeature, Communicator group) {
        Tensor t = scores.predictionScoresT(), s = scores.seqRelationshipScore();
        int b = t.size(0), l = t.size(1), v = t.size(2);
        if (labels.lmLabelIds().size(1) != l)
            throw new IllegalArgumentException("lm_label_ids has " + labels.lmLabelIds().size(1) + " positions, the text " + l);
        if (labels.isNext().size(0) != b) throw new IllegalArgumentException("is_next has batch " + labels.isNext().size(0) + ", the scores " + b);
        Tensor itm = F.crossEntropy(s, labels.isNext(), -1, Losses.Reduction.MEAN);
        if (group == null || group.size() == 1) {
            Tensor mlm = F.crossEntropy(t.reshape(b * l, v), labels.lmLabelIds().reshape(b * l), -1, Losses.Reduction.MEAN);
            int regions = regionCount(labels, scores.predictionScoresV().size(1) - 1);
            return new PretrainingLosses(mlm, regionSum(scores.predictionScoresV(), labels, predictFeature).div(Math.max(1, regions)), itm);
        }
        long[] counts = globalCounts(group, labelledTokens(labels), regionCount(labels, scores.predictionScoresV().size(1) - 1));
        int ranks = group.size();
        Tensor mlm = F.crossEntropy(t.reshape(b * l, v), labels.lmLabelIds().reshape(b * l), -1, Losses.Reduction.SUM).mul((double) ranks / counts[0]);
        Tensor mrm = regionSum(scores.predictionScoresV(), labels, predictFeature).mul((double) ranks / Math.max(1, counts[1]));
        return new PretrainingLosses(mlm, mrm, itm);
    }

    /** Tokens whose MLM label is not -1. */
    private static long labelledTokens(PretrainingLabels labels) {
        long n = 0;
        for (long y : labels.lmLabelIds().toLongArray()) if (y != -1) n++;
        return n;
    }

    /** {tokens, regions} summed over the group's ranks. */
    private static long[] globalCounts(Communicator group, long tokens, long regions) {
        try (Tensor c = Tensor.ofLongs(new long[]{tokens, regions}, 2)) {
            group.allReduce(c, ReduceOp.SUM);
            return c.toLongArray();
        }
    }

    /** Regions the MRM loss counts: labelled (1) regions of matched pairs (is_next 0). */
    private static int regionCount(PretrainingLabels labels, int regions) {
        long[] label = labels.imageLabel().toLongArray(), isNext = labels.isNext().toLongArray();
        int counted = 0;
        for (int i = 0; i < label.length; i++) if (label[i] == 1 && isNext[i / regions] == 0) counted++;
        return counted;
    }

    /** The MRM terms of the counted regions, summed (the caller divides by the count it chooses). */
    private static Tensor regionSum(Tensor scoresV, PretrainingLabels labels, boolean predictFeature) {
        int b = scoresV.size(0), regions = scoresV.size(1) - 1;
        Tensor z = scoresV.narrow(1, 1, regions);   // the global token has no label
        Tensor target = labels.imageTarget().to(z.dtype()).to(z.device());
        if (!java.util.Arrays.equals(target.shape(), z.shape()))
            throw new IllegalArgumentException("image_target " + Shape.str(target.shape()) + " does not match the region scores "
                    + Shape.str(z.shape()) + " without their global row");
        long[] label = labels.imageLabel().toLongArray(), isNext = labels.isNext().toLongArray();
        double[] w = new double[b * regions];
        for (int i = 0; i < w.length; i++) if (label[i] == 1 && isNext[i / regions] == 0) w[i] = 1;
        Tensor weight = Tensor.of(w, b, regions, 1).to(z.dtype()).to(z.device());
        Tensor perRegion;
        if (predictFeature) {
            perRegion = z.sub(target).square();
        } else {
            Tensor zero = Tensor.zeros(target.dtype(), target.device());
            Tensor tLogT;
            try (var g = GradMode.noGrad()) {   // the targets are data: t log t is a constant
                tLogT = F.where(target.gt(zero), target.mul(target.log()), zero);
            }
            perRegion = tLogT.sub(target.mul(F.logSoftmax(z, 2)));
        }
        return perRegion.mul(weight).sum();
    }
}

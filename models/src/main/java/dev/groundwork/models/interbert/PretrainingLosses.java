package dev.groundwork.models.interbert;

import dev.groundwork.engine.autograd.GradMode;
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
 */
public record PretrainingLosses(Tensor maskedLmLoss, Tensor maskedImgLoss, Tensor nextSentenceLoss) {

    /** text 1 + image 1 + ITM 1: the original's default weights (spec 2.4). */
    public Tensor total() { return maskedLmLoss.add(maskedImgLoss).add(nextSentenceLoss); }

    static PretrainingLosses of(InterBertPreTrainingHeads.Output scores, PretrainingLabels labels, boolean predictFeature) {
        Tensor t = scores.predictionScoresT(), s = scores.seqRelationshipScore();
        int b = t.size(0), l = t.size(1), v = t.size(2);
        if (labels.lmLabelIds().size(1) != l)
            throw new IllegalArgumentException("lm_label_ids has " + labels.lmLabelIds().size(1) + " positions, the text " + l);
        if (labels.isNext().size(0) != b) throw new IllegalArgumentException("is_next has batch " + labels.isNext().size(0) + ", the scores " + b);
        Tensor mlm = F.crossEntropy(t.reshape(b * l, v), labels.lmLabelIds().reshape(b * l), -1, Losses.Reduction.MEAN);
        Tensor itm = F.crossEntropy(s, labels.isNext(), -1, Losses.Reduction.MEAN);
        return new PretrainingLosses(mlm, regionLoss(scores.predictionScoresV(), labels, predictFeature), itm);
    }

    private static Tensor regionLoss(Tensor scoresV, PretrainingLabels labels, boolean predictFeature) {
        int b = scoresV.size(0), regions = scoresV.size(1) - 1;
        Tensor z = scoresV.narrow(1, 1, regions);   // the global token has no label
        Tensor target = labels.imageTarget().to(z.dtype()).to(z.device());
        if (!java.util.Arrays.equals(target.shape(), z.shape()))
            throw new IllegalArgumentException("image_target " + Shape.str(target.shape()) + " does not match the region scores "
                    + Shape.str(z.shape()) + " without their global row");
        long[] label = labels.imageLabel().toLongArray(), isNext = labels.isNext().toLongArray();
        double[] w = new double[b * regions];
        int counted = 0;
        for (int i = 0; i < w.length; i++) {
            if (label[i] == 1 && isNext[i / regions] == 0) {
                w[i] = 1;
                counted++;
            }
        }
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
        return perRegion.mul(weight).sum().div(Math.max(1, counted));
    }
}

package dev.groundwork.models.interbert;

import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * The targets of one pretraining batch (spec 2.1). The region tensors have no row for the global
 * token: they cover regions 1..R-1 of the image sequence.
 *
 * @param lmLabelIds  [B, L] the original token id at masked positions, -1 elsewhere
 * @param imageLabel  [B, R-1] 1 for a masked (zeroed) region, -1 otherwise
 * @param imageTarget [B, R-1, C] the detector's class distribution (or, with predict_feature, the feature)
 * @param isNext      [B] 0 matched pair, 1 random caption
 */
public record PretrainingLabels(Tensor lmLabelIds, Tensor imageLabel, Tensor imageTarget, Tensor isNext) {
    public PretrainingLabels {
        if (lmLabelIds == null || imageLabel == null || imageTarget == null || isNext == null)
            throw new IllegalArgumentException("lm_label_ids, image_label, image_target and is_next are all required");
        if (isNext.dim() != 1) throw new IllegalArgumentException("is_next must be [B], got " + Shape.str(isNext.shape()));
        int b = isNext.size(0);
        if (lmLabelIds.dim() != 2 || lmLabelIds.size(0) != b)
            throw new IllegalArgumentException("lm_label_ids must be [" + b + ", L], got " + Shape.str(lmLabelIds.shape()));
        if (imageLabel.dim() != 2 || imageLabel.size(0) != b)
            throw new IllegalArgumentException("image_label must be [" + b + ", R-1], got " + Shape.str(imageLabel.shape()));
        if (imageTarget.dim() != 3 || !Arrays.equals(Arrays.copyOf(imageTarget.shape(), 2), imageLabel.shape()))
            throw new IllegalArgumentException("image_target " + Shape.str(imageTarget.shape()) + " must be image_label's "
                    + Shape.str(imageLabel.shape()) + " plus a class (or feature) dimension");
    }
}

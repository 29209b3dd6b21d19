package dev.groundwork.models.interbert.data;

/**
 * One pretraining sample as the original's batch loader yields it (spec 2.1), before stacking:
 * text of L slots, R = M + 1 image rows (row 0 the global token, computed after region masking) and
 * the M-row region targets without a global row. Row-major arrays.
 *
 * @param inputIds    [L] [CLS] caption [SEP] then [PAD]
 * @param inputMask   [L] 1 on real tokens
 * @param segmentIds  [L] all 0
 * @param lmLabels    [L] original id at masked caption positions, -1 elsewhere
 * @param isNext      0 matched caption, 1 a random caption of another image
 * @param imageFeat   [R, F] global token first; masked regions zeroed
 * @param imageLoc    [R, 5] [0, 0, 1, 1, 1] first
 * @param imageTarget [M, C] the detector's class distribution (or [M, F] unmasked features with predict_feature)
 * @param imageLabel  [M] 1 masked region, -1 otherwise
 * @param imageMask   [R] 1 for the global token and the real regions
 * @param imageId     the record's image id as an integer
 */
public record PretrainingItem(int[] inputIds, int[] inputMask, int[] segmentIds, int[] lmLabels, int isNext,
                              float[] imageFeat, float[] imageLoc, float[] imageTarget, int[] imageLabel, int[] imageMask,
                              long imageId) {
    public int length() { return inputIds.length; }

    public int regions() { return imageMask.length; }
}

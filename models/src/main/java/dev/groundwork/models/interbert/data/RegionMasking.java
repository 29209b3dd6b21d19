package dev.groundwork.models.interbert.data;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.interbert.RegionIou;

import java.util.Arrays;

/**
 * Masked region modeling on the padded regions of one image (spec 2.3), as the original's
 * {@code random_region} codes it. Both variants zero feature rows in place and return one label per
 * padded row: 1 for a masked real region, -1 otherwise. Locations are never masked.
 */
public final class RegionMasking {
    /** The IoU at which a region joins an anchor's group, and the anchor probability (spec 2.3). */
    public static final double GROUP_IOU = 0.4, ANCHOR_P = 0.1;

    private RegionMasking() {}

    /**
     * Group masking (the {@code --span_mask} path): each real region i &lt; n in order becomes an anchor
     * with probability 0.1, and every padded row j with IoU(i, j) ≥ 0.4 (i itself included) is zeroed,
     * by {@link RegionIou} over all padded boxes (spec 8.7: padding rows join the matrix, they can only
     * be zeroed again). Label 1 iff row i &lt; n is all zeros afterwards, so a real region whose feature
     * was already all zero is labelled too, as coded.
     *
     * @param features  [rows, F] padded features, changed in place
     * @param locations [rows, 5] normalised locations of the same rows
     */
    public static int[] group(float[] features, int featureSize, float[] locations, int rows, int n,
                              double width, double height, Generator rng) {
        double[] iou = RegionIou.matrix(locations, rows, RegionSet.LOCATION_DIMS, width, height);
        for (int i = 0; i < n; i++) {
            if (rng.nextDouble() >= ANCHOR_P) continue;
            for (int j = 0; j < rows; j++)
                if (iou[i * rows + j] >= GROUP_IOU) Arrays.fill(features, j * featureSize, (j + 1) * featureSize, 0f);
        }
        int[] labels = new int[rows];
        Arrays.fill(labels, -1);
        for (int i = 0; i < n; i++) {
            boolean zero = true;
            for (int k = i * featureSize; k < (i + 1) * featureSize && zero; k++) zero = features[k] == 0f;
            if (zero) labels[i] = 1;
        }
        return labels;
    }

    /** Plain masking: each real region selected with probability 0.15; of those 90 % zeroed, 10 % kept; all labelled 1. */
    public static int[] plain(float[] features, int featureSize, int rows, int n, Generator rng) {
        int[] labels = new int[rows];
        Arrays.fill(labels, -1);
        for (int i = 0; i < n; i++) {
            double p = rng.nextDouble();
            if (p >= 0.15) continue;
            if (p / 0.15 < 0.9) Arrays.fill(features, i * featureSize, (i + 1) * featureSize, 0f);
            labels[i] = 1;
        }
        return labels;
    }
}

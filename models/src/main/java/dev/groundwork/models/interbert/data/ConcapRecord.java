package dev.groundwork.models.interbert.data;

/**
 * One record of the pretraining LMDB (spec 3.1), as stored: {@code n} regions with their features
 * [n, F], the detector's class distribution [n, C] and pixel boxes x1, y1, x2, y2 [n, 4], row-major.
 */
public record ConcapRecord(String key, String imageId, int numBoxes, double height, double width, String caption,
                           int featureSize, int classes, float[] features, float[] clsProb, float[] boxes) {
    /** The float64 sum of the raw features (what {@code gw data inspect} reports as feat_sum). */
    public double featSum() { return RegionSet.sum(features); }

    /** argmax of region 0's class distribution, or -1 without regions. */
    public int clsProbArgmax0() {
        if (numBoxes == 0) return -1;
        int best = 0;
        for (int c = 1; c < classes; c++) if (clsProb[c] > clsProb[best]) best = c;
        return best;
    }
}

package dev.groundwork.models.interbert.data;

/**
 * One image of a ViLBERT feature store as stored (spec 3.2): {@code n} regions, features [n, F] and
 * pixel boxes [n, 4] row-major; height and width as the reader uses them ({@code int(image_h)}).
 */
public record ImageFeatures(String key, String imageId, int height, int width, int numBoxes, int featureSize,
                            float[] features, float[] boxes) {
    public double featSum() { return RegionSet.sum(features); }

    /**
     * The reader's output (ViLBERT's ImageFeaturesH5Reader, spec 3.2): n + 1 rows, row 0 the global token
     * = the mean of the n real features (accumulated in double and rounded once, where numpy sums in
     * float32: the two may differ in the last bit), location [0, 0, 1, 1, 1]; then each region with its
     * normalised location.
     */
    public RegionSet regions() {
        int n = numBoxes, f = featureSize;
        float[] feat = new float[(n + 1) * f], loc = new float[(n + 1) * RegionSet.LOCATION_DIMS];
        double[] mean = new double[f];
        for (int i = 0; i < n; i++) for (int j = 0; j < f; j++) mean[j] += features[i * f + j];
        for (int j = 0; j < f; j++) feat[j] = n == 0 ? 0f : (float) (mean[j] / n);
        System.arraycopy(features, 0, feat, f, n * f);
        RegionSet.globalLocation(loc, 0);
        for (int i = 0; i < n; i++)
            RegionSet.location(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], width, height, loc, (i + 1) * RegionSet.LOCATION_DIMS);
        return new RegionSet(n + 1, f, feat, loc);
    }
}

package dev.groundwork.models.interbert.data;

/**
 * An image as InterBERT's model takes it: {@code count} rows of features [count, F] and normalised
 * locations [count, 5] (x1/W, y1/H, x2/W, y2/H, area/(W·H)), row 0 the global image token (mean
 * feature, location [0, 0, 1, 1, 1]). Row-major float arrays.
 */
public record RegionSet(int count, int featureSize, float[] features, float[] locations) {
    public static final int LOCATION_DIMS = 5;

    public RegionSet {
        if (features.length != count * featureSize || locations.length != count * LOCATION_DIMS)
            throw new IllegalArgumentException(count + " regions of " + featureSize + " features need " + count * featureSize
                    + " feature values and " + count * LOCATION_DIMS + " location values, got " + features.length + " and " + locations.length);
    }

    /** The float64 sum of float32 values (numpy's {@code arr.astype(float64).sum()} up to summation order). */
    static double sum(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        return s;
    }

    /**
     * Writes the normalised location of pixel box {@code (x1, y1, x2, y2)} into {@code out[at..at+5]}: the
     * area column from the pixel coordinates first, then each coordinate over W or H (spec 1.4, 3.2).
     */
    static void location(float x1, float y1, float x2, float y2, double w, double h, float[] out, int at) {
        out[at + 4] = (float) ((y2 - y1) * (double) (x2 - x1) / (w * h));
        out[at] = (float) (x1 / w);
        out[at + 1] = (float) (y1 / h);
        out[at + 2] = (float) (x2 / w);
        out[at + 3] = (float) (y2 / h);
    }

    /** The global token's location. */
    static void globalLocation(float[] out, int at) {
        out[at] = 0; out[at + 1] = 0; out[at + 2] = 1; out[at + 3] = 1; out[at + 4] = 1;
    }

    /** The first min(count, rows) regions in exactly {@code rows} rows, zero-padded, with their mask. */
    public Padded pad(int rows) {
        int keep = Math.min(count, rows);
        float[] f = java.util.Arrays.copyOf(java.util.Arrays.copyOf(features, keep * featureSize), rows * featureSize);
        float[] l = java.util.Arrays.copyOf(java.util.Arrays.copyOf(locations, keep * LOCATION_DIMS), rows * LOCATION_DIMS);
        int[] mask = new int[rows];
        java.util.Arrays.fill(mask, 0, keep, 1);
        return new Padded(f, l, mask);
    }

    /** Regions padded to a fixed row count: features [rows, F], locations [rows, 5], mask [rows]. */
    public record Padded(float[] features, float[] locations, int[] mask) {}
}

package dev.groundwork.models.eval.semantic;

import org.hipparchus.stat.descriptive.rank.Median;
import org.hipparchus.stat.inference.WilcoxonSignedRankTest;

/**
 * The two-sided Wilcoxon signed-rank test of paired scores (b − a per pair), Hipparchus's: pairs with
 * equal scores are dropped, ties share their average rank, and the p-value is exact up to 20 remaining
 * pairs and from the normal approximation with a continuity correction beyond (R's
 * {@code wilcox.test(paired = TRUE, correct = TRUE)}). W is the smaller of the two rank sums, as SciPy
 * reports it.
 *
 * @param n                pairs that differ (those the test uses)
 * @param medianDifference median of b − a over all pairs
 * @param w                min(W+, W−)
 * @param p                two-sided p-value; 1 when every pair is equal
 */
public record PairedTest(int n, double medianDifference, double w, double p) {
    static final int EXACT_UP_TO = 20;

    public static PairedTest of(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " and " + b.length + " scores cannot be paired");
        double[] diff = new double[a.length];
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            diff[i] = b[i] - a[i];
            if (a[i] != b[i]) n++;
        }
        double median = a.length == 0 ? Double.NaN : new Median().evaluate(diff);
        if (n == 0) return new PairedTest(0, median, 0, 1);
        WilcoxonSignedRankTest t = new WilcoxonSignedRankTest();
        double max = t.wilcoxonSignedRank(a, b);
        double p = t.wilcoxonSignedRankTest(a, b, n <= EXACT_UP_TO);
        return new PairedTest(n, median, n * (n + 1) / 2.0 - max, Math.min(1, p));
    }

    /** The median of {@code v} (the mean of the middle two for an even count, as numpy's). */
    public static double median(double[] v) { return v.length == 0 ? Double.NaN : new Median().evaluate(v); }
}

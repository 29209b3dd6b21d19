package dev.groundwork.models.eval.semantic;

import java.util.Arrays;

/**
 * Silhouette coefficients as scikit-learn's {@code silhouette_samples} computes them: for each row,
 * a = the mean distance to the other rows of its label, b = the smallest mean distance to the rows of
 * another label, s = (b - a) / max(a, b); a row alone in its label, or with a = b = 0, scores 0. Labels
 * are any integers, numbered by their sorted order as LabelEncoder does; there must be between 2 and
 * N - 1 of them. Distances in float64 through {@link Gram}, one block of rows at a time (N x N never
 * exists): cosine = 1 - x.y / (|x||y|), clipped to [0, 2], a zero row having cosine 0 with everything;
 * euclidean = sqrt(max(0, |x|^2 - 2 x.y + |y|^2)); a row's distance to itself is 0.
 */
public final class Silhouette {
    public enum Metric {
        COSINE, EUCLIDEAN;

        public static Metric parse(String s) {
            return switch (s) {
                case "cosine" -> COSINE;
                case "euclidean" -> EUCLIDEAN;
                default -> throw new IllegalArgumentException("metric must be cosine or euclidean, got '" + s + "'");
            };
        }

        @Override
        public String toString() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** Per-row coefficients and their mean per label (in sorted label order). */
    public record Result(double[] samples, long[] labels, double[] perLabelMean) {}

    private Silhouette() {}

    public static Result compute(double[][] x, long[] labels, Metric metric) {
        int n = x.length;
        if (labels.length != n) throw new IllegalArgumentException(n + " rows but " + labels.length + " labels");
        long[] sorted = Arrays.stream(labels).distinct().sorted().toArray();
        int k = sorted.length;
        if (k < 2 || k > n - 1)
            throw new IllegalArgumentException("silhouette needs 2 to n_samples - 1 labels, got " + k + " labels for " + n + " rows");
        int[] code = new int[n];
        int[] freq = new int[k];
        for (int i = 0; i < n; i++) freq[code[i] = Arrays.binarySearch(sorted, labels[i])]++;

        double[][] rows = x;
        double[] sq = new double[n];
        if (metric == Metric.COSINE) {
            rows = new double[n][];
            for (int i = 0; i < n; i++) {
                double norm = Math.sqrt(Gram.dot(x[i], x[i]));
                rows[i] = x[i].clone();
                if (norm > 0) for (int j = 0; j < rows[i].length; j++) rows[i][j] /= norm;
            }
        } else {
            for (int i = 0; i < n; i++) sq[i] = Gram.dot(x[i], x[i]);
        }
        double[] samples = new double[n];
        double[][] r = rows;
        Gram.rows(r, r, (from, to, dots) -> {
            double[] sums = new double[k];
            for (int i = from; i < to; i++) {
                Arrays.fill(sums, 0);
                int base = (i - from) * n;
                for (int j = 0; j < n; j++) {
                    if (j == i) continue;
                    double d = metric == Metric.COSINE ? Math.min(2, Math.max(0, 1 - dots[base + j]))
                            : Math.sqrt(Math.max(0, sq[i] - 2 * dots[base + j] + sq[j]));
                    sums[code[j]] += d;
                }
                int own = code[i];
                if (freq[own] == 1) continue;   // alone in its label: 0
                double a = sums[own] / (freq[own] - 1), b = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) if (c != own) b = Math.min(b, sums[c] / freq[c]);
                double m = Math.max(a, b);
                samples[i] = m > 0 ? (b - a) / m : 0;
            }
        });
        double[] mean = new double[k];
        for (int i = 0; i < n; i++) mean[code[i]] += samples[i];
        for (int c = 0; c < k; c++) mean[c] /= freq[c];
        return new Result(samples, sorted, mean);
    }
}

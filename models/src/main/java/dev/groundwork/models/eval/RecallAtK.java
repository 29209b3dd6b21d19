package dev.groundwork.models.eval;

/**
 * Cross-modal retrieval recalls in percent (0..100): image→text (i2t) and text→image (t2i) at K = 1, 5
 * and 10. {@link #rsum()} is their plain sum, the single number retrieval papers rank models by.
 */
public record RecallAtK(double i2t1, double i2t5, double i2t10, double t2i1, double t2i5, double t2i10) {

    public double rsum() { return i2t1 + i2t5 + i2t10 + t2i1 + t2i5 + t2i10; }

    /** The names the recalls go by in metrics.jsonl and in {@code --json} output, in this order. */
    public static final java.util.List<String> NAMES = java.util.List.of("i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10", "rsum");

    /** The recalls and their sum under {@link #NAMES}. */
    public java.util.Map<String, Double> asMap() {
        double[] v = {i2t1, i2t5, i2t10, t2i1, t2i5, t2i10, rsum()};
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int k = 0; k < v.length; k++) m.put(NAMES.get(k), v[k]);
        return m;
    }

    /** Component-wise mean, for the COCO 1k protocol (metrics averaged over the five folds). */
    static RecallAtK mean(java.util.List<RecallAtK> folds) {
        double[] s = new double[6];
        for (RecallAtK r : folds) {
            s[0] += r.i2t1; s[1] += r.i2t5; s[2] += r.i2t10;
            s[3] += r.t2i1; s[4] += r.t2i5; s[5] += r.t2i10;
        }
        int n = folds.size();
        return new RecallAtK(s[0] / n, s[1] / n, s[2] / n, s[3] / n, s[4] / n, s[5] / n);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "i2t R@1 %.2f R@5 %.2f R@10 %.2f | t2i R@1 %.2f R@5 %.2f R@10 %.2f | rsum %.2f",
                i2t1, i2t5, i2t10, t2i1, t2i5, t2i10, rsum());
    }
}

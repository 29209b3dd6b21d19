package dev.groundwork.models.eval.semantic;

import org.hipparchus.stat.correlation.PearsonsCorrelation;

/**
 * Spec §7.2: how far the first principal axis of a word space is an axis of concreteness. PCA is fitted
 * on every row; PC1 is oriented so that its word-level Pearson r with the concreteness ratings is not
 * negative (the notebook negates BERT's PC1 by hand). Word level: r over the selected rows (SemCat's
 * {@code commonword_idx > 0}, the words with a Brysbaert rating). Category level: rows come in
 * consecutive blocks, one per category; r over the per-category means of the selected rows. A category
 * without a selected row has no mean (NaN) and takes no part in r.
 *
 * @param categoryStdPc1 the spread of PC1 over each category's selected rows (population standard
 *                       deviation, numpy's default), the marker size of the scatter
 * @param explainedPc1   PC1's explained-variance ratio
 */
public record ConcretenessAxis(double rWord, double rCategory, double[] categoryMeanPc1, double[] categoryMeanConcreteness,
                               double[] categoryStdPc1, double explainedPc1, int words, int categories) {

    public static ConcretenessAxis compute(double[][] embeddings, double[] concreteness, int[] categorySizes, boolean[] selected) {
        int n = embeddings.length;
        if (concreteness.length != n || selected.length != n)
            throw new IllegalArgumentException(n + " embeddings, " + concreteness.length + " ratings and " + selected.length + " selection flags");
        long total = 0;
        for (int s : categorySizes) {
            if (s < 0) throw new IllegalArgumentException("negative category size " + s);
            total += s;
        }
        if (total != n) throw new IllegalArgumentException("category sizes sum to " + total + ", not to the " + n + " rows");
        Pca pca = Pca.fit(embeddings, 1);
        double[] pc1 = pca.score(0);

        int m = 0;
        for (boolean b : selected) if (b) m++;
        double[] xs = new double[m], ys = new double[m];
        for (int i = 0, t = 0; i < n; i++) if (selected[i]) { xs[t] = pc1[i]; ys[t++] = concreteness[i]; }
        PearsonsCorrelation pearson = new PearsonsCorrelation();
        double rWord = m >= 2 ? pearson.correlation(xs, ys) : Double.NaN;
        if (rWord < 0) {
            rWord = -rWord;
            for (int i = 0; i < n; i++) pc1[i] = -pc1[i];
        }

        int k = categorySizes.length;
        double[] meanPc1 = new double[k], meanConc = new double[k], stdPc1 = new double[k];
        int start = 0, filled = 0;
        for (int c = 0; c < k; c++) {
            double sx = 0, sy = 0, sxx = 0;
            int cnt = 0;
            for (int i = start; i < start + categorySizes[c]; i++) {
                if (!selected[i]) continue;
                sx += pc1[i];
                sy += concreteness[i];
                cnt++;
            }
            meanPc1[c] = cnt > 0 ? sx / cnt : Double.NaN;
            meanConc[c] = cnt > 0 ? sy / cnt : Double.NaN;
            for (int i = start; i < start + categorySizes[c]; i++) if (selected[i]) sxx += (pc1[i] - meanPc1[c]) * (pc1[i] - meanPc1[c]);
            stdPc1[c] = cnt > 0 ? Math.sqrt(sxx / cnt) : Double.NaN;
            if (cnt > 0) filled++;
            start += categorySizes[c];
        }
        double[] cx = new double[filled], cy = new double[filled];
        for (int c = 0, t = 0; c < k; c++) if (!Double.isNaN(meanPc1[c])) { cx[t] = meanPc1[c]; cy[t++] = meanConc[c]; }
        double rCategory = filled >= 2 ? pearson.correlation(cx, cy) : Double.NaN;
        return new ConcretenessAxis(rWord, rCategory, meanPc1, meanConc, stdPc1, pca.explainedVarianceRatio()[0], m, filled);
    }
}

package dev.groundwork.models.eval.semantic;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;

/**
 * Principal component analysis as scikit-learn's {@code PCA(svd_solver="full")} defines it: rows
 * centred, not scaled; components are the right singular vectors of the centred data, scores its
 * projections, and each component's explained-variance ratio its squared singular value over the sum
 * of all of them. The singular vectors come from Hipparchus's symmetric eigendecomposition of the
 * smaller Gram matrix (D x D covariance when N ≥ D, N x N otherwise); their signs are free, and are
 * fixed here so that each component's largest-magnitude entry is positive.
 *
 * @param scores                 [N][k] projections of the centred rows
 * @param components             [k][D] unit principal axes, strongest first
 * @param explainedVarianceRatio [k]
 * @param mean                   [D] the column means that were removed
 */
public record Pca(double[][] scores, double[][] components, double[] explainedVarianceRatio, double[] mean) {

    /** The first {@code k} components of the rows of {@code x} (k ≤ min(N, D)). */
    public static Pca fit(double[][] x, int k) {
        int n = x.length, d = n == 0 ? 0 : x[0].length;
        if (n < 2) throw new IllegalArgumentException("PCA needs at least 2 rows, got " + n);
        if (k < 1 || k > Math.min(n, d)) throw new IllegalArgumentException("n_components " + k + " outside 1.." + Math.min(n, d));
        double[] mean = new double[d];
        for (double[] r : x) for (int j = 0; j < d; j++) mean[j] += r[j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[][] c = new double[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) c[i][j] = x[i][j] - mean[j];

        double[][] comps = new double[k][];
        double[] lambda = new double[k];
        double total;
        if (n >= d) {
            double[][] ct = transpose(c);
            EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(Gram.matrix(ct, ct), false));
            double[] ev = e.getEigenvalues();
            RealMatrix v = e.getV();
            total = sum(ev);
            for (int a = 0; a < k; a++) {
                lambda[a] = Math.max(0, ev[a]);
                comps[a] = v.getColumn(a);
            }
        } else {
            // Fewer rows than dims: the eigenvectors u of C C^T give the axes as C^T u / s.
            EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(Gram.matrix(c, c), false));
            double[] ev = e.getEigenvalues();
            RealMatrix u = e.getV();
            total = sum(ev);
            for (int a = 0; a < k; a++) {
                lambda[a] = Math.max(0, ev[a]);
                double[] ua = u.getColumn(a), axis = new double[d];
                for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) axis[j] += c[i][j] * ua[i];
                double norm = Math.sqrt(Gram.dot(axis, axis));
                for (int j = 0; j < d; j++) axis[j] = norm > 0 ? axis[j] / norm : 0;
                comps[a] = axis;
            }
        }
        double[] ratio = new double[k];
        for (int a = 0; a < k; a++) {
            orient(comps[a]);
            ratio[a] = total > 0 ? lambda[a] / total : 0;
        }
        double[][] scores = new double[n][k];
        for (int i = 0; i < n; i++) for (int a = 0; a < k; a++) scores[i][a] = Gram.dot(c[i], comps[a]);
        return new Pca(scores, comps, ratio, mean);
    }

    /** Column {@code a} of the scores. */
    public double[] score(int a) {
        double[] s = new double[scores.length];
        for (int i = 0; i < s.length; i++) s[i] = scores[i][a];
        return s;
    }

    /** The sign convention: the entry of largest magnitude is positive (the first such entry on a tie). */
    private static void orient(double[] v) {
        int at = 0;
        for (int j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[at])) at = j;
        if (v[at] < 0) for (int j = 0; j < v.length; j++) v[j] = -v[j];
    }

    private static double sum(double[] ev) {
        double s = 0;
        for (double v : ev) s += Math.max(0, v);
        return s;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }
}

package dev.groundwork.models.eval.semantic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * How well a word space predicts semantic feature norms (spec §7.4, CSLB). The paper does not give its
 * predictor; this one is chosen as a standard and documented:
 * <ul>
 *   <li>one binary classifier per feature that at least {@code minPositives} concepts have (5 by default,
 *       so every training split holds positives);</li>
 *   <li>L2-regularised logistic regression ({@link LogisticRegression}, scikit-learn's objective, C = 1),
 *       on the embeddings standardised with the training split's mean and deviation;</li>
 *   <li>stratified k-fold cross-validation (5 folds): each feature's positives and negatives are shuffled
 *       separately with a generator seeded by (seed, feature index) and dealt round-robin to the folds;</li>
 *   <li>F1 of the positive class over the pooled out-of-fold predictions (threshold 0.5).</li>
 * </ul>
 * Features are independent, so they run in parallel; the result does not depend on the thread count.
 */
public final class NormsPrediction {
    /** @param c inverse L2 strength (scikit-learn's C) */
    public record Settings(int folds, int minPositives, double c, long seed) {
        public static final Settings DEFAULT = new Settings(5, 5, 1.0, 0);

        public Settings {
            if (folds < 2) throw new IllegalArgumentException("folds must be at least 2, got " + folds);
            if (minPositives < folds) throw new IllegalArgumentException("min positives " + minPositives + " must be at least the " + folds + " folds");
            if (!(c > 0)) throw new IllegalArgumentException("C must be positive, got " + c);
        }
    }

    /** F1 per evaluated feature (indices into the norms' features), in feature order. */
    public record Result(int[] features, double[] f1) {}

    private NormsPrediction() {}

    /** The features {@code s} evaluates: at least minPositives positives and as many negatives as folds. */
    public static int[] evaluated(boolean[][] positive, Settings s) {
        int n = positive.length, m = positive[0].length;
        return IntStream.range(0, m).filter(f -> {
            int pos = 0;
            for (boolean[] r : positive) if (r[f]) pos++;
            return pos >= s.minPositives() && n - pos >= s.folds();
        }).toArray();
    }

    /** Rows of {@code x} are the concepts of {@code positive} ([concept][feature]), in the same order. */
    public static Result run(double[][] x, boolean[][] positive, Settings s, java.util.function.IntConsumer progress) {
        if (x.length != positive.length) throw new IllegalArgumentException(x.length + " embeddings for " + positive.length + " concepts");
        int[] features = evaluated(positive, s);
        double[] f1 = new double[features.length];
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        IntStream.range(0, features.length).parallel().forEach(k -> {
            int f = features[k];
            boolean[] y = new boolean[x.length];
            for (int i = 0; i < x.length; i++) y[i] = positive[i][f];
            f1[k] = crossValidatedF1(x, y, folds(y, s.folds(), new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + f)), s);
            if (progress != null) progress.accept(done.incrementAndGet());
        });
        return new Result(features, f1);
    }

    /** Stratified fold of every row: positives and negatives each shuffled, then dealt round-robin. */
    static int[] folds(boolean[] y, int k, SplittableRandom rng) {
        int[] fold = new int[y.length];
        for (boolean cls : new boolean[]{true, false}) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < y.length; i++) if (y[i] == cls) rows.add(i);
            for (int i = rows.size() - 1; i > 0; i--) java.util.Collections.swap(rows, i, rng.nextInt(i + 1));
            for (int r = 0; r < rows.size(); r++) fold[rows.get(r)] = r % k;
        }
        return fold;
    }

    static double crossValidatedF1(double[][] x, boolean[] y, int[] fold, Settings s) {
        int tp = 0, fp = 0, fn = 0;
        LogisticRegression previous = null;
        for (int k = 0; k < s.folds(); k++) {
            List<double[]> train = new ArrayList<>();
            List<Boolean> labels = new ArrayList<>();
            for (int i = 0; i < x.length; i++) if (fold[i] != k) { train.add(x[i]); labels.add(y[i]); }
            double[][] tx = train.toArray(new double[0][]);
            Standardiser z = Standardiser.fit(tx);
            boolean[] ty = new boolean[labels.size()];
            for (int i = 0; i < ty.length; i++) ty[i] = labels.get(i);
            // The folds' problems are close to each other: starting from the last one's weights saves iterations.
            LogisticRegression lr = LogisticRegression.fit(z.apply(tx), ty, s.c(), previous);
            previous = lr;
            for (int i = 0; i < x.length; i++) {
                if (fold[i] != k) continue;
                boolean pred = lr.predict(z.apply(x[i]));
                if (pred && y[i]) tp++;
                else if (pred) fp++;
                else if (y[i]) fn++;
            }
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** Column-wise z-scores with the training rows' mean and population deviation (a constant column stays centred, not scaled). */
    record Standardiser(double[] mean, double[] scale) {
        static Standardiser fit(double[][] x) {
            int d = x[0].length;
            double[] mean = new double[d], sd = new double[d];
            for (double[] r : x) for (int j = 0; j < d; j++) mean[j] += r[j];
            for (int j = 0; j < d; j++) mean[j] /= x.length;
            for (double[] r : x) for (int j = 0; j < d; j++) sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
            for (int j = 0; j < d; j++) {
                sd[j] = Math.sqrt(sd[j] / x.length);
                if (sd[j] == 0) sd[j] = 1;
            }
            return new Standardiser(mean, sd);
        }

        double[] apply(double[] r) {
            double[] o = new double[r.length];
            for (int j = 0; j < r.length; j++) o[j] = (r[j] - mean[j]) / scale[j];
            return o;
        }

        double[][] apply(double[][] x) {
            double[][] o = new double[x.length][];
            for (int i = 0; i < x.length; i++) o[i] = apply(x[i]);
            return o;
        }
    }
}

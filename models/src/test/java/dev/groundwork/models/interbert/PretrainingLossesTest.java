package dev.groundwork.models.interbert;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three losses of spec 2.4 on random scores, against sums written out here in double: which
 * positions and regions count, and how they are normalised.
 */
class PretrainingLossesTest {
    static final int B = 3, L = 4, V = 7, R = 4, C = 5;
    final Generator g = new Generator(31);
    final Tensor t = g.normal(DType.F64, Device.CPU, 0, 2, B, L, V);
    final Tensor v = g.normal(DType.F64, Device.CPU, 0, 2, B, R, C);
    final Tensor s = g.normal(DType.F64, Device.CPU, 0, 2, B, 2);
    final long[] lm = {-1, 3, -1, 6, -1, -1, 0, -1, -1, 2, 2, -1};
    final long[] imageLabel = {1, -1, 1, 1, 1, -1, -1, 1, -1};
    final long[] isNext = {0, 1, 0};
    final double[] target = distributions(B * (R - 1), C, 32);

    static double[] distributions(int rows, int c, long seed) {
        double[] u = new Generator(seed).uniform(DType.F64, Device.CPU, 0.05, 1, rows, c).toDoubleArray();
        for (int r = 0; r < rows; r++) {
            if (r % 2 == 0) u[r * c + (r / 2) % c] = 0;   // detectors give exact zeros
            double sum = 0;
            for (int k = 0; k < c; k++) sum += u[r * c + k];
            for (int k = 0; k < c; k++) u[r * c + k] /= sum;
        }
        return u;
    }

    PretrainingLosses losses(Tensor scoresV, long[] imageLabel, long[] isNext, boolean predictFeature, double[] target, int width) {
        PretrainingLabels labels = new PretrainingLabels(Tensor.ofLongs(lm, B, L), Tensor.ofLongs(imageLabel, B, R - 1),
                Tensor.of(target, B, R - 1, width), Tensor.ofLongs(isNext, B));
        return PretrainingLosses.of(new InterBertPreTrainingHeads.Output(t, scoresV, s), labels, predictFeature);
    }

    static double logSoftmax(double[] x, int off, int n, int k) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        for (int i = 0; i < n; i++) sum += Math.exp(x[off + i] - max);
        return x[off + k] - max - Math.log(sum);
    }

    @Test
    void mlmAveragesOverLabelledPositionsOfEveryPairMismatchedIncluded() {
        double[] x = t.toDoubleArray();
        double sum = 0;
        int n = 0;
        for (int p = 0; p < B * L; p++) {
            if (lm[p] == -1) continue;
            sum -= logSoftmax(x, p * V, V, (int) lm[p]);
            n++;
        }
        assertEquals(5, n, "pair 1 (is_next = 1) keeps its two labels");
        PretrainingLosses l = losses(v, imageLabel, isNext, false, target, C);
        assertEquals(sum / n, l.maskedLmLoss().item(), 1e-12);
        assertEquals(l.maskedLmLoss().item() + l.maskedImgLoss().item() + l.nextSentenceLoss().item(), l.total().item(), 1e-12);
    }

    @Test
    void itmIsTheMeanCrossEntropyOverPairs() {
        double[] x = s.toDoubleArray();
        double sum = 0;
        for (int b = 0; b < B; b++) sum -= logSoftmax(x, b * 2, 2, (int) isNext[b]);
        assertEquals(sum / B, losses(v, imageLabel, isNext, false, target, C).nextSentenceLoss().item(), 1e-12);
    }

    /** KL over label-1 regions of matched pairs only, global row dropped, divided by their count. */
    @Test
    void mrmIsTheKlOverMaskedRegionsOfMatchedPairs() {
        double[] z = v.toDoubleArray();
        double sum = 0;
        int n = 0;
        for (int b = 0; b < B; b++) {
            if (isNext[b] != 0) continue;
            for (int i = 0; i < R - 1; i++) {
                if (imageLabel[b * (R - 1) + i] != 1) continue;
                int row = b * (R - 1) + i, off = (b * R + i + 1) * C;
                for (int c = 0; c < C; c++) {
                    double tc = target[row * C + c];
                    if (tc > 0) sum += tc * (Math.log(tc) - logSoftmax(z, off, C, c));
                }
                n++;
            }
        }
        assertEquals(3, n, "pairs 0 and 2 are matched: regions 1, 3 of pair 0 and region 2 of pair 2");
        Tensor got = losses(v, imageLabel, isNext, false, target, C).maskedImgLoss();
        assertTrue(Double.isFinite(got.item()), "exact zeros in the target must not give NaN");
        assertEquals(sum / n, got.item(), 1e-12);
    }

    @Test
    void mrmIgnoresTheGlobalRowUnlabelledRegionsAndMismatchedPairs() {
        double before = losses(v, imageLabel, isNext, false, target, C).maskedImgLoss().item();
        double[] z = v.toDoubleArray();
        for (int c = 0; c < C; c++) {
            z[c] += 5;                           // pair 0, global row
            z[(0 * R + 2) * C + c] -= 3;         // pair 0, region 2 (label -1)
            z[(1 * R + 1) * C + c] *= 4;         // pair 1 (mismatched), labelled region 1
        }
        double after = losses(Tensor.of(z, B, R, C), imageLabel, isNext, false, target, C).maskedImgLoss().item();
        assertEquals(before, after, 1e-12);
        z[(2 * R + 2) * C] += 1;                 // pair 2, labelled region 2: counts
        assertTrue(Math.abs(losses(Tensor.of(z, B, R, C), imageLabel, isNext, false, target, C).maskedImgLoss().item() - before) > 1e-3);
    }

    @Test
    void mrmIsZeroWithNothingToCount() {
        long[] none = new long[B * (R - 1)];
        java.util.Arrays.fill(none, -1);
        assertEquals(0, losses(v, none, isNext, false, target, C).maskedImgLoss().item());
        assertEquals(0, losses(v, imageLabel, new long[]{1, 1, 1}, false, target, C).maskedImgLoss().item());
    }

    @Test
    void predictFeatureRegressesTheFeatureWithTheSameSelection() {
        double[] z = v.toDoubleArray(), feat = new Generator(5).normal(DType.F64, Device.CPU, 0, 1, B * (R - 1) * C).toDoubleArray();
        double sum = 0;
        for (int row : new int[]{0, 2, 7}) {     // the three counted regions of the KL test
            int b = row / (R - 1), i = row % (R - 1);
            for (int c = 0; c < C; c++) {
                double d = z[(b * R + i + 1) * C + c] - feat[row * C + c];
                sum += d * d;
            }
        }
        assertEquals(sum / 3, losses(v, imageLabel, isNext, true, feat, C).maskedImgLoss().item(), 1e-12);
    }

    @Test
    void labelsOfTheWrongShapeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> losses(v, imageLabel, isNext, false, distributions(B * (R - 1), C + 1, 1), C + 1));
        assertThrows(IllegalArgumentException.class, () -> new PretrainingLabels(Tensor.ofLongs(lm, B, L),
                Tensor.ofLongs(new long[B * R], B, R), Tensor.of(target, B, R - 1, C), Tensor.ofLongs(isNext, B)));
    }
}

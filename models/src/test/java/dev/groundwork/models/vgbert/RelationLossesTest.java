package dev.groundwork.models.vgbert;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** §4.5 losses against numbers worked out by hand from the formulas, and L_pair against §4.5's quadratic form. */
class RelationLossesTest {
    // Three labelled pairs, K = 3: p0 (image 0, label 1), p1 (image 0, label 2), p2 (image 1, label 1).
    private static final Tensor S = Tensor.of(new float[]{0.0f, 1.0f, 0.5f, 0.2f, 0.3f, 2.0f, 0.1f, 0.4f, 0.0f}, 3, 3);
    private static final RelationLosses.Pairs P = new RelationLosses.Pairs(new long[]{0, 1, 2}, new long[]{1, 2, 1});

    private static double lse(double... x) {
        double s = 0;
        for (double v : x) s += Math.exp(v);
        return Math.log(s);
    }

    @Test
    void pairLossUsesOnlyOtherPredicatesAsNegatives() {
        // p0 (c=1): negatives are pairs with c != 1 -> only p1 (s1[1] = 0.3). p2 has the same predicate in
        // another image and is NOT a negative.
        double t0 = lse(1.0, 0.3) - 1.0;
        // p1 (c=2): negatives p0 and p2, scored with matrix 2: s0[2] = 0.5, s2[2] = 0.0.
        double t1 = lse(2.0, 0.5, 0.0) - 2.0;
        // p2 (c=1): negatives p1 only (s1[1] = 0.3); p0 (same predicate) excluded.
        double t2 = lse(0.4, 0.3) - 0.4;
        double expected = (t0 + t1 + t2) / 2;   // divided by B = 2 images, not by 3 pairs
        assertEquals(expected, RelationLosses.pair(S, P, 1.0, 2).item(), 1e-6);
    }

    @Test
    void pairLossTemperature() {
        double t0 = lse(2.0, 0.6) - 2.0, t1 = lse(4.0, 1.0, 0.0) - 4.0, t2 = lse(0.8, 0.6) - 0.8;
        assertEquals((t0 + t1 + t2) / 2, RelationLosses.pair(S, P, 0.5, 2).item(), 1e-6);
    }

    /** §4.5's vectorised form: the |P| x |P| matrix Z[p,q] = s_q[c_p] with same-predicate pairs masked out. */
    private static Tensor quadraticPairLoss(Tensor s, RelationLosses.Pairs p, double tau, int batch) {
        int n = p.size();
        long[] c = p.labels();
        Tensor z = F.indexSelect(s, 1, Tensor.ofLongs(c, n)).mT();
        double[] mask = new double[n * n];
        for (int a = 0; a < n; a++) for (int q = 0; q < n; q++) if (q != a && c[q] == c[a]) mask[a * n + q] = -1e9;
        long[] diag = new long[n];
        for (int a = 0; a < n; a++) diag[a] = a;
        Tensor logits = z.div(tau).add(Tensor.of(mask, n, n).to(s.dtype()));
        return F.crossEntropy(logits, Tensor.ofLongs(diag, n), -100, Losses.Reduction.SUM).div(batch);
    }

    private static RelationLosses.Pairs randomPairs(SplittableRandom r, int n, int k) {
        long[] flat = new long[n], labels = new long[n];
        for (int i = 0; i < n; i++) { flat[i] = i; labels[i] = 1 + r.nextInt(k - 1); }
        return new RelationLosses.Pairs(flat, labels);
    }

    /** The O(|P| K) form equals the quadratic one, loss and gradient, on random scores with repeated predicates. */
    @Test
    void pairLossEqualsTheQuadraticForm() {
        SplittableRandom r = new SplittableRandom(5);
        for (int[] nk : new int[][]{{37, 6}, {5, 115}, {64, 3}}) {
            RelationLosses.Pairs p = randomPairs(r, nk[0], nk[1]);
            Tensor base = Tensor.randn(new Generator(nk[0]), nk[0], nk[1]).mul(3);
            Tensor a = base.detach().requiresGrad(true), b = base.detach().requiresGrad(true);
            Tensor la = RelationLosses.pair(a, p, 0.7, 4), lb = quadraticPairLoss(b, p, 0.7, 4);
            assertEquals(lb.item(), la.item(), 1e-4 * Math.abs(lb.item()), "loss n=" + nk[0]);
            la.backward();
            lb.backward();
            assertArrayEquals(b.grad().toFloatArray(), a.grad().toFloatArray(), 1e-5f, "gradient n=" + nk[0]);
        }
    }

    /** Float64 finite differences through the shifts and the masked column sums. */
    @Test
    void pairLossGradientByFiniteDifferences() {
        RelationLosses.Pairs p = randomPairs(new SplittableRandom(8), 9, 4);
        GradCheck.check("pair loss", t -> RelationLosses.pair(t[0], p, 0.5, 3), GradCheck.inputs(3, new int[]{9, 4}));
    }

    /** Every pair has the same predicate: no negatives anywhere, each term is log(1) = 0, and nothing is NaN. */
    @Test
    void pairLossWithoutNegativesIsZero() {
        RelationLosses.Pairs p = new RelationLosses.Pairs(new long[]{0, 1, 2}, new long[]{2, 2, 2});
        Tensor s = Tensor.randn(new Generator(2), 3, 4).mul(50).requiresGrad(true);
        Tensor l = RelationLosses.pair(s, p, 1.0, 1);
        assertEquals(0.0, l.item(), 0.0);
        l.backward();
        for (float g : s.grad().toFloatArray()) assertEquals(0f, g, 0f);
        // Large scores far apart: the shifts keep it finite and equal to the quadratic form.
        RelationLosses.Pairs q = new RelationLosses.Pairs(new long[]{0, 1, 2}, new long[]{1, 2, 1});
        Tensor big = Tensor.of(new float[]{0, 300, -200, 0, -400, 250, 0, 90, 80}, 3, 3);
        assertEquals(quadraticPairLoss(big, q, 1.0, 1).item(), RelationLosses.pair(big, q, 1.0, 1).item(), 1e-3);
    }

    @Test
    void relationLossIsKWayWithClassZeroCompeting() {
        double expected = ((lse(0.0, 1.0, 0.5) - 1.0) + (lse(0.2, 0.3, 2.0) - 2.0) + (lse(0.1, 0.4, 0.0) - 0.4)) / 2;
        assertEquals(expected, RelationLosses.relation(S, P, 1.0, 2).item(), 1e-6);
    }

    @Test
    void objectLossIgnoresClassZeroAndDividesByImages() {
        Tensor logits = Tensor.of(new float[]{5f, 1f, 2f, 0f, 1f, 3f}, 1, 2, 3);
        Tensor target = Tensor.ofLongs(new long[]{0, 2}, 1, 2);
        assertEquals(lse(0, 1, 3) - 3, RelationLosses.object(logits, target, 1).item(), 1e-6);
    }

    @Test
    void pairsAreGatheredRowMajorFromTheTargets() {
        // B = 2, O = 2: image 0 has (0 -> 1) label 3, image 1 has (1 -> 0) label 1.
        Tensor rt = Tensor.ofLongs(new long[]{0, 3, 0, 0, 0, 0, 1, 0}, 2, 2, 2);
        RelationLosses.Pairs p = RelationLosses.pairs(rt);
        assertArrayEquals(new long[]{1, 6}, p.flat());
        assertArrayEquals(new long[]{3, 1}, p.labels());
        // scores [B,K,O,O] with K = 4: value = 1000 b + 100 k + 10 i + j, so the gather is readable.
        float[] v = new float[2 * 4 * 2 * 2];
        for (int b = 0; b < 2; b++) for (int k = 0; k < 4; k++) for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++)
            v[((b * 4 + k) * 2 + i) * 2 + j] = 1000 * b + 100 * k + 10 * i + j;
        Tensor s = RelationLosses.pairScores(Tensor.of(v, 2, 4, 2, 2), p);
        assertArrayEquals(new float[]{1, 101, 201, 301, 1010, 1110, 1210, 1310}, s.contiguous().toFloatArray());
    }

    @Test
    void topKCountsClassZeroAsACompetitor() {
        // p0's target (1) is the top score; p1's target (2) top; p2's target (1) top. Then a row where class 0 wins.
        long[] h = RelationLosses.topK(S, new long[]{1, 2, 1}, new int[]{1, 2}, -1);
        assertArrayEquals(new long[]{3, 3, 3}, h);
        Tensor s = Tensor.of(new float[]{3f, 1f, 2f}, 1, 3);
        assertArrayEquals(new long[]{0, 0, 1, 1}, RelationLosses.topK(s, new long[]{1}, new int[]{1, 2, 3}, -1));
    }
}

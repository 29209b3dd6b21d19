package dev.groundwork.models.vgbert;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** §4.5 losses against numbers worked out by hand from the formulas. */
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

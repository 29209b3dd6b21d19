package dev.groundwork.models.eval;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrievalTest {
    static final double EPS = 1e-9;

    static Tensor identity(int n) {
        float[] a = new float[n * n];
        for (int i = 0; i < n; i++) a[i * n + i] = 1;
        return Tensor.of(a, n, n);
    }

    static Tensor rows(float[][] r) {
        int d = r[0].length;
        float[] a = new float[r.length * d];
        for (int i = 0; i < r.length; i++) System.arraycopy(r[i], 0, a, i * d, d);
        return Tensor.of(a, r.length, d);
    }

    /** A score matrix ranks as the embeddings it came from: random vectors, three captions per image, exact ties included. */
    @Test
    void scoresRankAsTheirEmbeddings() {
        Random g = new Random(17);
        int n = 23, m = 3 * n, d = 6;
        float[][] img = new float[n][d], cap = new float[m][d];
        for (float[] r : img) for (int k = 0; k < d; k++) r[k] = (float) g.nextGaussian();
        for (int j = 0; j < m; j++) for (int k = 0; k < d; k++) cap[j][k] = (float) (img[j / 3][k] + 1.5 * g.nextGaussian());
        cap[7] = cap[3].clone();   // a tie between captions of two images
        int[] owner = Retrieval.owners(n, m, 3);
        Tensor a = rows(img), b = rows(cap);
        Tensor an = dev.groundwork.engine.ops.F.normalize(a, 1, 1e-12), bn = dev.groundwork.engine.ops.F.normalize(b, 1, 1e-12);
        float[] scores = an.matmul(bn.mT().contiguous()).toFloatArray();
        RecallAtK want = Retrieval.evaluate(a, b, owner), got = Retrieval.fromScores(scores, n, m, owner);
        assertEquals(want, got);
        assertTrue(got.rsum() > 0 && got.rsum() < 600, got.toString());
        assertThrows(IllegalArgumentException.class, () -> Retrieval.fromScores(new float[5], n, m, owner));
    }

    @Test
    void perfectEmbeddingsGiveFullRecall() {
        // Five captions per image, each a scaled copy of its image's direction (scale must not matter).
        Tensor images = identity(4);
        float[][] caps = new float[20][4];
        for (int j = 0; j < 20; j++) caps[j][j / 5] = 1 + j;
        RecallAtK r = Retrieval.coco5k(images, rows(caps));
        assertEquals(new RecallAtK(100, 100, 100, 100, 100, 100), r);
        assertEquals(600, r.rsum(), EPS);
    }

    /**
     * Three one-hot images, two captions each; every caption is a permutation of (3,2,1) so all have
     * the same norm and cosines are exact. Expected ranks worked out by hand (see comments).
     */
    @Test
    void shuffledCaseMatchesHandComputedRanks() {
        float[][] caps = {
                {3, 2, 1}, // image 0: own value 3, best → t2i rank 0
                {1, 3, 2}, // image 0: own value 1, images 1 and 2 above → rank 2
                {3, 2, 1}, // image 1: own value 2, image 0 above → rank 1
                {2, 1, 3}, // image 1: own value 1 → rank 2
                {1, 2, 3}, // image 2: own value 3 → rank 0
                {3, 1, 2}, // image 2: own value 2, image 0 above → rank 1
        };
        int[] owner = Retrieval.owners(3, 6, 2);
        Tensor img = identity(3), cap = rows(caps);
        assertArrayEquals(new int[] {0, 2, 1, 2, 0, 1}, Retrieval.ranks(cap, img, j -> new int[] {owner[j]}));
        // Image 0 row = (3,1,3,2,1,3): best truth 3 ties with captions 2 and 5 → rank 2 (pessimistic).
        // Image 1 row = (2,3,2,1,2,1): best truth 2; captions 0,1,4 score ≥ 2 → rank 3.
        // Image 2 row = (1,2,1,3,3,2): best truth 3; caption 3 ties → rank 1.
        int[][] truths = {{0, 1}, {2, 3}, {4, 5}};
        assertArrayEquals(new int[] {2, 3, 1}, Retrieval.ranks(img, cap, i -> truths[i]));

        RecallAtK r = Retrieval.evaluate(img, cap, owner);
        assertEquals(0, r.i2t1(), EPS);
        assertEquals(100, r.i2t5(), EPS);
        assertEquals(100.0 * 2 / 6, r.t2i1(), EPS);
        assertEquals(100, r.t2i5(), EPS);
    }

    @Test
    void tiesArePessimistic() {
        // Constant embeddings: every query ties with all 9 wrong candidates, so its rank is 9.
        float[][] same = new float[10][];
        for (int i = 0; i < 10; i++) same[i] = new float[] {0.5f, 0.25f};
        Tensor t = rows(same);
        RecallAtK r = Retrieval.evaluate(t, t, Retrieval.owners(10, 10, 1));
        assertEquals(new RecallAtK(0, 0, 100, 0, 0, 100), r);
    }

    @Test
    void foldsAverageTheirOwnMetrics() {
        // Fold 0 (images 0,1) is perfect; fold 1 (images 2,3) is one repeated vector, so each query
        // ties with the other item: R@1 0 there. The average is 50.
        float[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}};
        Tensor t = rows(v);
        RecallAtK r = Retrieval.folds(t, t, Retrieval.owners(4, 4, 1), 2);
        assertEquals(new RecallAtK(50, 100, 100, 50, 100, 100), r);
        assertThrows(IllegalArgumentException.class, () -> Retrieval.folds(t, t, Retrieval.owners(4, 4, 1), 3));
    }

    @Test
    void coco1kAnd5kOnFullSizeNoisyCopies() {
        // 5000 random images, 25000 captions = image + small noise: exercises the row blocks (25000
        // columns) and the five 1k folds; nearest neighbours are unambiguous, so both score 100.
        Random rnd = new Random(7);
        int n = 5000, d = 16;
        float[] img = new float[n * d], cap = new float[5 * n * d];
        for (int i = 0; i < img.length; i++) img[i] = (float) rnd.nextGaussian();
        for (int j = 0; j < 5 * n; j++)
            for (int k = 0; k < d; k++) cap[j * d + k] = img[(j / 5) * d + k] + 1e-3f * (float) rnd.nextGaussian();
        Tensor images = Tensor.of(img, n, d), captions = Tensor.of(cap, 5 * n, d);
        assertEquals(600, Retrieval.coco5k(images, captions).rsum(), EPS);
        assertEquals(600, Retrieval.coco1k(images, captions).rsum(), EPS);
    }

    @Test
    void rejectsMismatchedInputs() {
        assertThrows(IllegalArgumentException.class, () -> Retrieval.coco5k(identity(3), identity(3)));
        assertThrows(IllegalArgumentException.class, () -> Retrieval.evaluate(identity(3), identity(3), new int[] {0, 1, 3}));
        assertThrows(IllegalArgumentException.class, () -> Retrieval.evaluate(identity(3), identity(3), new int[] {0, 1, 1}));
    }
}

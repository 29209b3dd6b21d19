package dev.groundwork.models.interbert.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The original's caption → image figures (spec 5.1) and our image → text on a matrix worked by hand. */
class RetrievalMetricsTest {
    @Test
    void ranksRecallsMedianAndMeanRankAsTheOriginalComputesThem() {
        // 4 captions, 3 images; captions 0,1 belong to image 0, caption 2 to image 1, caption 3 to image 2.
        float[][] s = {
                {0.9f, 0.1f, 0.2f},   // truth 0 at rank 0
                {0.3f, 0.8f, 0.5f},   // truth 0 at rank 2
                {0.4f, 0.4f, 0.1f},   // truth 1 ties with image 0: the lower index goes first, rank 1
                {0.7f, 0.2f, 0.6f}};  // truth 2 at rank 1
        int[] owner = {0, 0, 1, 2};
        RetrievalMetrics m = RetrievalMetrics.of(s, owner);
        RetrievalMetrics.Direction t = m.captionToImage();
        // ranks 0, 2, 1, 1: R@1 25, R@5 100; median of (0,1,1,2) = 1 -> floor(1 + 1) = 2; mean 1 + 1 = 2.
        assertEquals(25.0, t.r1(), 1e-12);
        assertEquals(100.0, t.r5(), 1e-12);
        assertEquals(2.0, t.medianRank(), 0.0);
        assertEquals(2.0, t.meanRank(), 1e-12);
        // Image -> text: image 0's column (0.9, 0.3, 0.4, 0.7): caption 0 first, rank 0. Image 1's (0.1, 0.8, 0.4, 0.2):
        // caption 2 behind caption 1, rank 1. Image 2's (0.2, 0.5, 0.1, 0.6): caption 3 first, rank 0.
        RetrievalMetrics.Direction i = m.imageToText();
        assertEquals(100.0 * 2 / 3, i.r1(), 1e-9);
        assertEquals(100.0, i.r5(), 1e-12);
        assertEquals(1.0 + 1.0 / 3, i.meanRank(), 1e-12);
        assertArrayEquals(new int[]{1, 2, 0}, RetrievalMetrics.top(s[1], 3));
        assertArrayEquals(new int[]{0, 1}, RetrievalMetrics.top(s[2], 2), "ties keep index order");
        assertEquals(100.0 / 3, t.chance(1), 1e-12);
    }
}

package dev.groundwork.models.interbert.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * Recall, median and mean rank from a caption × image score matrix (spec 5.1). Caption → image is the
 * original's protocol: rank_c is the 0-based position of caption c's image in the descending order of
 * S[c, :], R@K = 100 · |rank < K| / captions, median rank ⌊median(rank) + 1⌋, mean rank mean(rank) + 1.
 * The original sorts with numpy's unstable argsort, so its ties fall either way (spec 8.15); here a tie
 * goes to the lower image index (a stable descending sort). Image → text is our addition (the usual
 * protocol: the best-placed of the image's captions among all captions), reported separately.
 */
public record RetrievalMetrics(Direction captionToImage, Direction imageToText) {
    /** One direction's figures over {@code queries} queries and {@code candidates} candidates. */
    public record Direction(double r1, double r5, double r10, double medianRank, double meanRank, int queries, int candidates) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "R@1 %.2f R@5 %.2f R@10 %.2f median rank %.0f mean rank %.2f", r1, r5, r10, medianRank, meanRank);
        }

        /** Chance R@K in % for one right candidate among {@code candidates}. */
        public double chance(int k) { return 100.0 * Math.min(k, candidates) / candidates; }
    }

    /** @param scores S[c][i]; @param owner the image of each caption */
    public static RetrievalMetrics of(float[][] scores, int[] owner) {
        int captions = scores.length, images = scores[0].length;
        int[] t2i = new int[captions];
        for (int c = 0; c < captions; c++) t2i[c] = rank(scores[c], owner[c], images);
        int[] i2t = new int[images];
        Arrays.fill(i2t, Integer.MAX_VALUE);
        float[] column = new float[captions];
        for (int i = 0; i < images; i++) {
            for (int c = 0; c < captions; c++) column[c] = scores[c][i];
            boolean any = false;
            for (int c = 0; c < captions; c++) {
                if (owner[c] != i) continue;
                any = true;
                // Among all captions, the other ground truths of the image not counted above it.
                int r = 0;
                for (int d = 0; d < captions; d++)
                    if (owner[d] != i && (column[d] > column[c] || (column[d] == column[c] && d < c))) r++;
                i2t[i] = Math.min(i2t[i], r);
            }
            if (!any) throw new IllegalArgumentException("image " + i + " has no caption");
        }
        return new RetrievalMetrics(direction(t2i, images), direction(i2t, captions));
    }

    /** The 0-based position of {@code truth} in the stable descending order of {@code row}. */
    static int rank(float[] row, int truth, int n) {
        int r = 0;
        float s = row[truth];
        for (int j = 0; j < n; j++) if (row[j] > s || (row[j] == s && j < truth)) r++;
        return r;
    }

    /** The first {@code k} candidates of the stable descending order of {@code row}. */
    public static int[] top(float[] row, int k) {
        Integer[] idx = new Integer[row.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> row[a] != row[b] ? Float.compare(row[b], row[a]) : Integer.compare(a, b));
        int[] out = new int[Math.min(k, idx.length)];
        for (int i = 0; i < out.length; i++) out[i] = idx[i];
        return out;
    }

    static Direction direction(int[] ranks, int candidates) {
        int n = ranks.length;
        int[] sorted = ranks.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        double sum = 0;
        int[] hits = new int[3];
        int[] ks = {1, 5, 10};
        for (int r : ranks) {
            sum += r;
            for (int k = 0; k < 3; k++) if (r < ks[k]) hits[k]++;
        }
        return new Direction(100.0 * hits[0] / n, 100.0 * hits[1] / n, 100.0 * hits[2] / n, Math.floor(median + 1), sum / n + 1, n, candidates);
    }
}

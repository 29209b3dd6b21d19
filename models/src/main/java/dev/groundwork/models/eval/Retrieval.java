package dev.groundwork.models.eval;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recall@K for image↔caption retrieval on cosine similarity. The VG-BERT code has no such metric
 * (spec §5.3); this is the usual COCO protocol added on top.
 *
 * <p>A query is a hit at K when ANY of its ground truths ranks within the top K: an image's ground
 * truths are all its captions, a caption's is its one image. The rank of a query is the rank of its
 * best-scoring ground truth, counting every NON-ground-truth candidate whose score is greater than
 * OR EQUAL to it. Ties are thus broken pessimistically: a wrong candidate that ties with the right
 * one is ranked ahead of it, so a degenerate model (e.g. constant embeddings) scores 0, not 100.
 *
 * <p>Similarities are computed in blocks of query rows so memory stays bounded for any N.
 */
public final class Retrieval {
    /** COCO: five captions per test image, folds of 1000 images for the 1k protocol. */
    public static final int COCO_CAPTIONS_PER_IMAGE = 5;
    public static final int COCO_1K_FOLD = 1000;
    /** Similarity block budget in floats (64 MiB); a block always holds at least one row. */
    static final long BLOCK_FLOATS = 16L << 20;
    private static final int[] KS = {1, 5, 10};

    private Retrieval() {}

    /** COCO 5k: all N test images against all 5N captions (caption j belongs to image j/5). */
    public static RecallAtK coco5k(Tensor images, Tensor captions) {
        return evaluate(images, captions, owners(images.size(0), captions.size(0), COCO_CAPTIONS_PER_IMAGE));
    }

    /** COCO 1k: consecutive folds of 1000 images (with their captions), metrics averaged over folds. */
    public static RecallAtK coco1k(Tensor images, Tensor captions) {
        return folds(images, captions, owners(images.size(0), captions.size(0), COCO_CAPTIONS_PER_IMAGE), COCO_1K_FOLD);
    }

    /** Caption j belongs to image j / perImage; requires captions = images × perImage. */
    public static int[] owners(int images, int captions, int perImage) {
        if ((long) images * perImage != captions)
            throw new IllegalArgumentException(captions + " captions for " + images + " images, expected " + perImage + " per image");
        int[] owner = new int[captions];
        for (int j = 0; j < captions; j++) owner[j] = j / perImage;
        return owner;
    }

    /**
     * Splits the images into consecutive folds of {@code foldSize} (N must be a multiple), keeps each
     * fold's own captions, evaluates every fold alone and averages the recalls.
     */
    public static RecallAtK folds(Tensor images, Tensor captions, int[] owner, int foldSize) {
        int n = images.size(0);
        if (foldSize <= 0 || n % foldSize != 0)
            throw new IllegalArgumentException(n + " images do not split into folds of " + foldSize);
        checkOwners(n, captions.size(0), owner);
        List<RecallAtK> results = new ArrayList<>();
        int d = captions.size(1);
        float[] all = captions.contiguous().toFloatArray();
        for (int f = 0; f < n; f += foldSize) {
            int start = f, end = f + foldSize;
            int[] rows = java.util.stream.IntStream.range(0, owner.length).filter(j -> owner[j] >= start && owner[j] < end).toArray();
            int[] foldOwner = new int[rows.length];
            float[] caps = new float[rows.length * captions.size(1)];
            for (int r = 0; r < rows.length; r++) {
                foldOwner[r] = owner[rows[r]] - start;
                System.arraycopy(all, rows[r] * d, caps, r * d, d);
            }
            results.add(evaluate(images.narrow(0, start, foldSize), Tensor.of(caps, rows.length, d), foldOwner));
        }
        return RecallAtK.mean(results);
    }

    /**
     * Image→text and text→image recall on images [N,D] and captions [M,D], where caption j belongs to
     * image owner[j]. Rows are L2-normalised here, so any scale of embedding is accepted.
     */
    public static RecallAtK evaluate(Tensor images, Tensor captions, int[] owner) {
        if (images.dim() != 2 || captions.dim() != 2 || images.size(1) != captions.size(1))
            throw new IllegalArgumentException("need images [N,D] and captions [M,D], got " + Arrays.toString(images.shape()) + " and " + Arrays.toString(captions.shape()));
        int n = images.size(0), m = captions.size(0);
        checkOwners(n, m, owner);
        Tensor img = F.normalize(images.to(dev.groundwork.engine.tensor.DType.F32), 1, 1e-12);
        Tensor cap = F.normalize(captions.to(dev.groundwork.engine.tensor.DType.F32), 1, 1e-12);

        int[][] truths = truthsOf(n, owner);

        int[] i2t = ranks(img, cap, i -> truths[i]);
        int[] t2i = ranks(cap, img, j -> new int[] {owner[j]});
        double[] a = recalls(i2t), b = recalls(t2i);
        return new RecallAtK(a[0], a[1], a[2], b[0], b[1], b[2]);
    }

    /**
     * For each query row, the 0-based rank of its best ground truth among all candidates: the number
     * of non-ground-truth candidates scoring at least as high (pessimistic ties).
     */
    static int[] ranks(Tensor queries, Tensor candidates, java.util.function.IntFunction<int[]> truthsOf) {
        int q = queries.size(0), c = candidates.size(0);
        int block = (int) Math.max(1, Math.min(q, BLOCK_FLOATS / Math.max(1, c)));
        Tensor candT = candidates.mT().contiguous();
        int[] rank = new int[q];
        boolean[] isTruth = new boolean[c];
        for (int start = 0; start < q; start += block) {
            int rows = Math.min(block, q - start);
            rankRows(queries.narrow(0, start, rows).matmul(candT).toFloatArray(), start, rows, c, truthsOf, rank, isTruth);
        }
        return rank;
    }

    /** Ranks the query rows start..start+rows-1, whose scores against the c candidates are the rows of {@code s}. */
    private static void rankRows(float[] s, int start, int rows, int c, java.util.function.IntFunction<int[]> truthsOf, int[] rank, boolean[] isTruth) {
        for (int r = 0; r < rows; r++) {
            int[] truths = truthsOf.apply(start + r);
            int base = r * c;
            float best = Float.NEGATIVE_INFINITY;
            for (int t : truths) { isTruth[t] = true; best = Math.max(best, s[base + t]); }
            int ahead = 0;
            for (int k = 0; k < c; k++) if (!isTruth[k] && s[base + k] >= best) ahead++;
            for (int t : truths) isTruth[t] = false;
            rank[start + r] = ahead;
        }
    }

    /**
     * Image→text and text→image recall from a score matrix, for models whose score is not a cosine of two
     * vectors (stage 2's matchmap): {@code scores} [N images, M captions] row-major, caption j belonging to
     * image owner[j]; the same ranking rule as {@link #evaluate}.
     */
    public static RecallAtK fromScores(float[] scores, int n, int m, int[] owner) {
        if ((long) n * m != scores.length) throw new IllegalArgumentException(scores.length + " scores for " + n + " images x " + m + " captions");
        checkOwners(n, m, owner);
        int[][] truths = truthsOf(n, owner);
        float[] byCaption = new float[scores.length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) byCaption[j * n + i] = scores[i * m + j];
        int[] i2t = new int[n], t2i = new int[m];
        rankRows(scores, 0, n, m, i -> truths[i], i2t, new boolean[m]);
        rankRows(byCaption, 0, m, n, j -> new int[] {owner[j]}, t2i, new boolean[n]);
        double[] a = recalls(i2t), b = recalls(t2i);
        return new RecallAtK(a[0], a[1], a[2], b[0], b[1], b[2]);
    }

    /** Image i's ground truths: the captions it owns; every image must own one. */
    private static int[][] truthsOf(int n, int[] owner) {
        int[][] truths = new int[n][];
        int[] count = new int[n];
        for (int o : owner) count[o]++;
        for (int i = 0; i < n; i++) {
            if (count[i] == 0) throw new IllegalArgumentException("image " + i + " has no caption");
            truths[i] = new int[count[i]];
            count[i] = 0;
        }
        for (int j = 0; j < owner.length; j++) truths[owner[j]][count[owner[j]]++] = j;
        return truths;
    }

    private static double[] recalls(int[] rank) {
        double[] out = new double[KS.length];
        for (int k = 0; k < KS.length; k++) {
            int hits = 0;
            for (int r : rank) if (r < KS[k]) hits++;
            out[k] = 100.0 * hits / rank.length;
        }
        return out;
    }

    private static void checkOwners(int images, int captions, int[] owner) {
        if (owner.length != captions)
            throw new IllegalArgumentException(owner.length + " owners for " + captions + " captions");
        for (int o : owner)
            if (o < 0 || o >= images) throw new IllegalArgumentException("caption owner " + o + " outside 0.." + (images - 1));
    }
}

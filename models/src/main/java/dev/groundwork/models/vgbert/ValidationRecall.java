package dev.groundwork.models.vgbert;

import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.eval.RecallAtK;
import dev.groundwork.models.eval.Retrieval;
import dev.groundwork.models.train.Selection;
import dev.groundwork.models.train.SetMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * R@1/5/10 image→text and text→image, and their sum, over the first {@code limit} validation images, each
 * with the one caption its validation pair holds (COCO and Karpathy files: the image's first caption), so a
 * query's one ground truth is its partner. Stage 2 ranks by its matchmap similarity (§3.2, what its loss
 * ranks), the transfer by the cosine of ḡ and f̄ (§5.2, what {@code gw eval retrieval} ranks). The original
 * has no retrieval metric during training (spec §5.3 selects on the loss sum); this one is ours, so that a
 * run can be watched, and its best epoch chosen ({@link #selection}), by what it is for.
 *
 * <p>Kept as plain floats while the pass runs (the batches' tensors are released after each); the limit
 * bounds stage 2's N² matchmap scores, each a [words × cells] product.
 */
public final class ValidationRecall implements SetMetrics<CaptionBatch> {
    /** The default number of validation images ranked: COCO's 1k protocol size. */
    public static final int DEFAULT_IMAGES = 1000;
    /** The metric {@code best.safetensors} follows by default (§6.2): the validation loss sum. */
    public static final String LOSS_SUM = "loss_sum";
    /** Image blocks of stage 2's score matrix. */
    private static final int IMAGE_BLOCK = 32;

    private interface Scorer {
        /** Adds the first {@code rows} rows of the batch. */
        void add(CaptionBatch b, int rows);

        RecallAtK recall();
    }

    private final int limit;
    private final Scorer scorer;
    private int seen;

    private ValidationRecall(int limit, Scorer scorer) {
        if (limit < 1) throw new IllegalArgumentException("validation recall needs at least one image, got " + limit);
        this.limit = limit;
        this.scorer = scorer;
    }

    /** Which validation metric picks best.safetensors: the loss sum (lower), or a recall or rsum (higher). */
    public static Selection selection(String metric) {
        if (metric.equals(LOSS_SUM)) return Selection.min(LOSS_SUM);
        if (!RecallAtK.NAMES.contains(metric))
            throw new IllegalArgumentException("no validation metric '" + metric + "': " + LOSS_SUM + " or one of " + String.join(", ", RecallAtK.NAMES));
        return Selection.max(metric);
    }

    /** Stage 2: scores are matchmap similarities. */
    public static ValidationRecall twoStream(TwoStreamModel m, int limit) {
        List<float[]> maps = new ArrayList<>(), words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int[] shape = new int[3];   // D, h, w
        dev.groundwork.engine.tensor.Device[] device = {dev.groundwork.engine.tensor.Device.CPU};
        return new ValidationRecall(limit, new Scorer() {
            public void add(CaptionBatch b, int rows) {
                Tensor v = m.imageMap(b.images().narrow(0, 0, rows)).contiguous();
                Tensor l = m.words(b.ids().narrow(0, 0, rows), b.types().narrow(0, 0, rows), b.mask().narrow(0, 0, rows)).contiguous();
                shape[0] = v.size(1); shape[1] = v.size(2); shape[2] = v.size(3);
                device[0] = v.device();
                float[] vf = v.toFloatArray(), lf = l.toFloatArray();
                long[] nw = b.nwords().toLongArray();
                int per = vf.length / rows, t = l.size(1), d = l.size(2);
                for (int r = 0; r < rows; r++) {
                    maps.add(java.util.Arrays.copyOfRange(vf, r * per, (r + 1) * per));
                    int n = (int) Math.max(1, Math.min(nw[r], t));   // the similarity's own word count (MatchmapSimilarity)
                    words.add(java.util.Arrays.copyOfRange(lf, r * t * d, (r * t + n) * d));
                    counts.add(n);
                }
            }

            public RecallAtK recall() {
                int n = maps.size(), d = shape[0], t = counts.stream().mapToInt(Integer::intValue).max().orElse(1);
                float[] lang = new float[n * t * d];
                long[] nw = new long[n];
                for (int c = 0; c < n; c++) {
                    System.arraycopy(words.get(c), 0, lang, c * t * d, words.get(c).length);
                    nw[c] = counts.get(c);
                }
                // The N² scores run where the model runs (a GPU's matmuls), the ranking on the host.
                Tensor language = Tensor.of(lang, n, t, d).to(device[0]), nwords = Tensor.ofLongs(nw, n).to(device[0]);
                float[] scores = new float[n * n];
                int per = d * shape[1] * shape[2];
                for (int start = 0; start < n; start += IMAGE_BLOCK) {
                    int rows = Math.min(IMAGE_BLOCK, n - start);
                    float[] block = new float[rows * per];
                    for (int r = 0; r < rows; r++) System.arraycopy(maps.get(start + r), 0, block, r * per, per);
                    float[] s = VgBertOps.matchmapSimilarity(Tensor.of(block, rows, d, shape[1], shape[2]).to(device[0]), language, nwords)
                            .toFloatArray();
                    System.arraycopy(s, 0, scores, start * n, rows * n);
                }
                return Retrieval.fromScores(scores, n, n, identity(n));
            }
        });
    }

    /** The transfer: scores are cosines of the pooled vectors. */
    public static ValidationRecall transfer(TransferModel m, int limit) {
        List<float[]> images = new ArrayList<>(), texts = new ArrayList<>();
        return new ValidationRecall(limit, new Scorer() {
            int n;

            public void add(CaptionBatch b, int rows) {
                n += rows;
                images.add(m.embedImages(b.images().narrow(0, 0, rows)).contiguous().toFloatArray());
                texts.add(m.embedTexts(b.ids().narrow(0, 0, rows), b.types().narrow(0, 0, rows), b.mask().narrow(0, 0, rows))
                        .contiguous().toFloatArray());
            }

            public RecallAtK recall() {
                Tensor g = stack(images), f = stack(texts);
                return Retrieval.evaluate(g, f, identity(g.size(0)));
            }

            private Tensor stack(List<float[]> parts) {
                int total = parts.stream().mapToInt(a -> a.length).sum(), at = 0;
                float[] all = new float[total];
                for (float[] a : parts) { System.arraycopy(a, 0, all, at, a.length); at += a.length; }
                return Tensor.of(all, n, total / n);
            }
        });
    }

    @Override
    public void add(CaptionBatch b) {
        int rows = Math.min(b.images().size(0), limit - seen);
        if (rows <= 0) return;
        scorer.add(b, rows);
        seen += rows;
    }

    /** The recalls under {@link RecallAtK#NAMES}; NaN each when no batch came. */
    @Override
    public Map<String, Double> summary() {
        if (seen == 0) {
            Map<String, Double> m = new java.util.LinkedHashMap<>();
            RecallAtK.NAMES.forEach(k -> m.put(k, Double.NaN));
            return m;
        }
        return scorer.recall().asMap();
    }

    private static int[] identity(int n) { return java.util.stream.IntStream.range(0, n).toArray(); }
}

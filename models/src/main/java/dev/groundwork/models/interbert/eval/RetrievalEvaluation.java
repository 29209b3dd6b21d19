package dev.groundwork.models.interbert.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.io.AtomicFiles;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.interbert.data.FeatureLmdb;
import dev.groundwork.models.interbert.data.FlickrRetrieval;
import dev.groundwork.models.interbert.data.FlickrSplit;
import dev.groundwork.models.interbert.data.RegionSet;
import dev.groundwork.models.interbert.data.TextSlots;
import dev.groundwork.models.text.BertTokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flickr30K retrieval as the original evaluates it (spec 5.1): every caption of the split against every
 * image, S[c, i] = P(matched) from the ITM head ({@link ItmScorer}), then {@link RetrievalMetrics}. What
 * differs is how, not what: each caption and image is embedded once; a forward scores {@code pairsPerForward}
 * pairs of any captions and images (the original: one caption × 500 images); the matrix is written in
 * blocks of captions ({@link ScoreChunks}) so a stopped run continues where it stopped; progress and an
 * ETA go to the log. Outputs in {@code out}: {@code scores/}, {@code {split}_result.json} (the top-20
 * images of each caption, as the original dumps them) and {@code retrieval.json} (the figures).
 */
public final class RetrievalEvaluation {
    /** @param captionsPerChunk caption rows per score file; @param pairsPerForward pairs scored together */
    public record Options(int textLength, int regions, int pairsPerForward, int captionsPerChunk, int imagesPerEmbedding) {
        public static final Options DEFAULT = new Options(FlickrRetrieval.TEXT_LENGTH, FlickrRetrieval.REGIONS, 500, 50, 50);

        public Options {
            if (textLength < 3 || regions < 1 || pairsPerForward < 1 || captionsPerChunk < 1 || imagesPerEmbedding < 1)
                throw new IllegalArgumentException("retrieval options must be positive (text length at least 3)");
        }
    }

    public record Result(RetrievalMetrics metrics, int captions, int images, long pairsComputed, double seconds) {}

    private RetrievalEvaluation() {}

    /**
     * @param identity what the scores are of (model file, mode), kept in {@code scores/meta.json}
     */
    public static Result run(ItmScorer scorer, FlickrSplit split, FeatureLmdb features, BertTokenizer tok, Options o, Device device,
                             Path out, String splitName, Map<String, String> identity, PrintStream log) throws IOException, DataException {
        List<String> caps = split.captions();
        int[] owner = split.imageOf();
        int nc = caps.size(), ni = split.images().size();
        for (int c = 0; c < nc; c++) features.requireId(Long.toString(split.images().get(owner[c]).id()), c, split.file());
        Map<String, String> id = new java.util.TreeMap<>(identity);
        id.put("split", split.file().toAbsolutePath().normalize().toString());
        id.put("captions", Integer.toString(nc));
        id.put("textLength", Integer.toString(o.textLength()));
        id.put("regions", Integer.toString(o.regions()));
        ScoreChunks chunks = new ScoreChunks(out.resolve("scores"), o.captionsPerChunk(), ni, id);
        float[][] scores = new float[nc][];
        long t0 = System.nanoTime(), pairs = 0, total = (long) nc * ni;
        long done = 0;
        int nChunks = (nc + o.captionsPerChunk() - 1) / o.captionsPerChunk();
        // Finished blocks first: the ETA then counts only what is left.
        for (int k = 0; k < nChunks; k++) {
            int from = k * o.captionsPerChunk(), n = Math.min(o.captionsPerChunk(), nc - from);
            float[][] b = chunks.read(k, n);
            if (b != null) {
                System.arraycopy(b, 0, scores, from, n);
                done += (long) n * ni;
            }
        }
        if (done > 0) log.printf("retrieval: %d of %d caption blocks already scored in %s%n", done / ni / o.captionsPerChunk(), nChunks, out.resolve("scores"));
        if (done < total) {
            try (var g = GradMode.noGrad(); TensorScope keep = TensorScope.open()) {
                Images img = embedImages(scorer, split, features, o, device);
                for (int k = 0; k < nChunks; k++) {
                    int from = k * o.captionsPerChunk(), n = Math.min(o.captionsPerChunk(), nc - from);
                    if (scores[from] != null) continue;
                    float[][] block = scoreBlock(scorer, caps.subList(from, from + n), tok, img, o, device);
                    chunks.write(k, block);
                    System.arraycopy(block, 0, scores, from, n);
                    pairs += (long) n * ni;
                    done += (long) n * ni;
                    double s = (System.nanoTime() - t0) / 1e9, rate = pairs / Math.max(1e-9, s);
                    log.printf(Locale.ROOT, "\rretrieval: %d/%d captions, %d/%d pairs, %.0f pairs/s, ETA %s   ", Math.min(nc, from + n), nc, done,
                            total, rate, eta((total - done) / Math.max(rate, 1e-9)));
                    log.flush();
                }
                log.println();
            }
        }
        RetrievalMetrics m = RetrievalMetrics.of(scores, owner);
        writeTop20(out.resolve(splitName + "_result.json"), scores);
        writeReport(out.resolve("retrieval.json"), m, identity);
        return new Result(m, nc, ni, pairs, (System.nanoTime() - t0) / 1e9);
    }

    /** Every image's embeddings [I, R, H] and masks [I, R], in blocks of {@link Options#imagesPerEmbedding}. */
    private record Images(Tensor embedded, Tensor mask) {}

    private static Images embedImages(ItmScorer scorer, FlickrSplit split, FeatureLmdb features, Options o, Device d) throws DataException {
        List<Tensor> parts = new ArrayList<>(), masks = new ArrayList<>();
        int ni = split.images().size();
        for (int from = 0; from < ni; from += o.imagesPerEmbedding()) {
            int n = Math.min(o.imagesPerEmbedding(), ni - from);
            RegionSet.Padded first = features.image(Long.toString(split.images().get(from).id())).regions().pad(o.regions());
            int f = first.features().length / o.regions(), r = o.regions();
            float[] feat = new float[n * r * f], loc = new float[n * r * 5];
            long[] mask = new long[n * r];
            for (int i = 0; i < n; i++) {
                RegionSet.Padded p = i == 0 ? first : features.image(Long.toString(split.images().get(from + i).id())).regions().pad(r);
                System.arraycopy(p.features(), 0, feat, i * r * f, r * f);
                System.arraycopy(p.locations(), 0, loc, i * r * 5, r * 5);
                for (int j = 0; j < r; j++) mask[i * r + j] = p.mask()[j];
            }
            parts.add(scorer.embedImage(Tensor.of(feat, n, r, f).to(d), Tensor.of(loc, n, r, 5).to(d)));
            masks.add(Tensor.ofLongs(mask, n, r).to(d));
        }
        return new Images(parts.size() == 1 ? parts.getFirst() : F.cat(parts, 0), masks.size() == 1 ? masks.getFirst() : F.cat(masks, 0));
    }

    /** S of n captions against every image, pairs taken row-major in forwards of {@code pairsPerForward}. */
    private static float[][] scoreBlock(ItmScorer scorer, List<String> captions, BertTokenizer tok, Images img, Options o, Device d) {
        int n = captions.size(), ni = img.embedded().size(0), l = o.textLength();
        long[] ids = new long[n * l], mask = new long[n * l];
        for (int c = 0; c < n; c++) {
            TextSlots t = FlickrRetrieval.encode(tok, captions.get(c), l);
            for (int j = 0; j < l; j++) {
                ids[c * l + j] = t.ids()[j];
                mask[c * l + j] = t.mask()[j];
            }
        }
        float[][] out = new float[n][ni];
        try (TensorScope scope = TensorScope.open()) {
            Tensor text = scorer.embedText(Tensor.ofLongs(ids, n, l).to(d)), textMask = Tensor.ofLongs(mask, n, l).to(d);
            long total = (long) n * ni;
            for (long start = 0; start < total; start += o.pairsPerForward()) {
                int p = (int) Math.min(o.pairsPerForward(), total - start);
                long[] ci = new long[p], ii = new long[p];
                for (int q = 0; q < p; q++) {
                    ci[q] = (start + q) / ni;
                    ii[q] = (start + q) % ni;
                }
                try (TensorScope s = TensorScope.open()) {
                    Tensor cIdx = Tensor.ofLongs(ci, p).to(d), iIdx = Tensor.ofLongs(ii, p).to(d);
                    float[] v = scorer.matched(F.indexSelect(text, 0, cIdx), F.indexSelect(textMask, 0, cIdx),
                            F.indexSelect(img.embedded(), 0, iIdx), F.indexSelect(img.mask(), 0, iIdx));
                    for (int q = 0; q < p; q++) out[(int) ci[q]][(int) ii[q]] = v[q];
                }
            }
        }
        return out;
    }

    static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }

    private static void writeTop20(Path file, float[][] scores) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ArrayNode all = json.createArrayNode();
        for (float[] row : scores) {
            ArrayNode a = all.addArray();
            for (int i : RetrievalMetrics.top(row, 20)) a.add(i);
        }
        byte[] bytes = json.writeValueAsBytes(all);
        AtomicFiles.write(file, ch -> ch.write(ByteBuffer.wrap(bytes)));
    }

    private static void writeReport(Path file, RetrievalMetrics m, Map<String, String> identity) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        identity.forEach(n::put);
        put(n.putObject("caption_to_image"), m.captionToImage());
        put(n.putObject("image_to_text_our_addition"), m.imageToText());
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        AtomicFiles.write(file, ch -> ch.write(ByteBuffer.wrap(bytes)));
    }

    private static void put(ObjectNode n, RetrievalMetrics.Direction d) {
        n.put("r1", d.r1()).put("r5", d.r5()).put("r10", d.r10()).put("median_rank", d.medianRank()).put("mean_rank", d.meanRank())
                .put("queries", d.queries()).put("candidates", d.candidates());
    }
}

package dev.groundwork.models.interbert.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.Dataset;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.Vocab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * InterBERT's pretraining samples (spec 2.1–2.3) from a tensorpack LMDB and its {@code caption_*.json}.
 * Per record: pad to M = 36 regions, normalise locations (area column from the pixel box first), draw
 * the ITM pair (keep the caption with probability 0.5, else a uniformly random caption of the caption
 * dictionary, redrawn while its key and the image id agree but for their last character), tokenise and
 * truncate to L − 2 word pieces, mask text and regions, then prepend the global token: the sum of the
 * M feature rows after masking over the number of real regions (spec 8.6: masked rows count as zeros).
 * The original draws from Python's shared {@code random}; here each item has its own generator (the
 * loader's per-item stream), so samples do not depend on worker threads (spec 8.22). Order is the
 * loader's shuffled pass over every record each epoch, spec 8.8's recommendation, not tensorpack's
 * interleaved copies of the shard; a pre-sharded {@code training_feat_part_N.lmdb} (spec 8.9) is just
 * another file to open. Spec 8.23 suggests converting the stores offline; the files are read as they
 * are instead, so nothing has to be kept in sync with a converted copy.
 */
public final class ConcapPretraining implements Dataset<PretrainingItem> {
    /** L = 36 tokens, M = 36 regions (+1 global), the span ("group") masking of the README. */
    public record Options(int maxSeqLength, int maxRegions, boolean spanMask, boolean predictFeature) {
        public static final Options DEFAULT = new Options(36, 36, true, false);

        public Options {
            if (maxSeqLength < 3) throw new IllegalArgumentException("maxSeqLength must leave room for [CLS], a token and [SEP]");
            if (maxRegions < 1) throw new IllegalArgumentException("maxRegions must be positive");
        }
    }

    private final ConcapLmdb db;
    private final Path captionFile;
    private final List<String> captionKeys;
    private final Map<String, String> captions;
    private final Map<String, Integer> prefixCounts = new HashMap<>();
    private final BertTokenizer tokenizer;
    private final Options options;

    public ConcapPretraining(ConcapLmdb db, Path captionFile, BertTokenizer tokenizer, Options options) throws DataException {
        this.db = db;
        this.captionFile = captionFile;
        this.tokenizer = tokenizer;
        this.options = options;
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(captionFile.toFile());
        } catch (IOException e) {
            throw new DataException(-1, captionFile, java.nio.file.Files.exists(captionFile) ? "malformed JSON: " + e.getMessage().lines().findFirst().orElse("") : "no such file", e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) throw new DataException(-1, captionFile, "must be a non-empty {image_id: caption} object");
        List<String> keys = new ArrayList<>();
        Map<String, String> caps = new HashMap<>();
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
            if (!e.getValue().isTextual()) throw new DataException(-1, captionFile, "caption of '" + e.getKey() + "' is not a string");
            keys.add(e.getKey());
            caps.put(e.getKey(), e.getValue().asText());
            prefixCounts.merge(prefix(e.getKey()), 1, Integer::sum);
        }
        this.captionKeys = List.copyOf(keys);
        this.captions = caps;
    }

    private static String prefix(String id) { return id.isEmpty() ? id : id.substring(0, id.length() - 1); }

    public Options options() { return options; }

    @Override
    public int size() { return db.size(); }

    /** The record decodes, has 1..M regions, a numeric image id, and the caption dictionary has a caption of another image. */
    @Override
    public void check(int index) throws DataException {
        ConcapRecord r = db.record(index);
        checked(index, r);
    }

    private long checked(int index, ConcapRecord r) throws DataException {
        String where = "key '" + r.key() + "': ";
        if (r.numBoxes() > options.maxRegions())
            throw new DataException(index, db.path(), where + r.numBoxes() + " regions, more than the " + options.maxRegions() + " pretraining pads to");
        if (r.numBoxes() == 0) throw new DataException(index, db.path(), where + "no regions (the global token would divide by zero)");
        long id;
        try {
            id = Long.parseLong(r.imageId());
        } catch (NumberFormatException e) {
            throw new DataException(index, db.path(), where + "image_id '" + r.imageId() + "' is not a string of digits");
        }
        if (prefixCounts.getOrDefault(prefix(r.imageId()), 0) == captionKeys.size())
            throw new DataException(index, captionFile, "has no caption of an image other than " + r.imageId() + " to draw a mismatched pair from");
        return id;
    }

    @Override
    public PretrainingItem get(int index, Generator rng) throws DataException {
        ConcapRecord r = db.record(index);
        long imageId = checked(index, r);
        int m = options.maxRegions(), f = r.featureSize(), n = r.numBoxes(), rows = m + 1;
        float[] feat = new float[m * f], loc = new float[m * RegionSet.LOCATION_DIMS];
        System.arraycopy(r.features(), 0, feat, 0, n * f);
        float[] target;
        if (options.predictFeature()) {
            target = feat.clone();
        } else {
            target = new float[m * r.classes()];
            System.arraycopy(r.clsProb(), 0, target, 0, n * r.classes());
        }
        for (int i = 0; i < n; i++) {
            float[] b = r.boxes();
            RegionSet.location(b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3], r.width(), r.height(), loc, i * RegionSet.LOCATION_DIMS);
        }
        // Padding rows have zero boxes, hence area 0 and location [0, 0, 0, 0, 0], as numpy computes them.

        String caption = r.caption();
        int isNext = 0;
        if (!(rng.nextDouble() > 0.5)) {
            String key;
            do key = captionKeys.get(rng.nextInt(captionKeys.size())); while (prefix(key).equals(prefix(r.imageId())));
            caption = captions.get(key);
            isNext = 1;
        }
        int[] body = tokenizer.tokenIds(caption);
        body = Arrays.copyOf(body, Math.min(body.length, options.maxSeqLength() - 2));
        Vocab v = tokenizer.vocab();
        int[] textLabels = options.spanMask() ? TextMasking.span(body, v.size(), v.maskId(), rng) : TextMasking.bert(body, v.size(), v.maskId(), rng);
        int[] regionLabels = options.spanMask()
                ? RegionMasking.group(feat, f, loc, m, n, r.width(), r.height(), rng)
                : RegionMasking.plain(feat, f, m, n, rng);

        int l = options.maxSeqLength();
        int[] ids = new int[l], mask = new int[l], seg = new int[l], lm = new int[l];
        Arrays.fill(ids, v.padId());
        Arrays.fill(lm, -1);
        ids[0] = v.clsId();
        System.arraycopy(body, 0, ids, 1, body.length);
        System.arraycopy(textLabels, 0, lm, 1, body.length);
        ids[body.length + 1] = v.sepId();
        Arrays.fill(mask, 0, body.length + 2, 1);

        float[] imageFeat = new float[rows * f], imageLoc = new float[rows * RegionSet.LOCATION_DIMS];
        double[] g = new double[f];
        for (int i = 0; i < m; i++) for (int j = 0; j < f; j++) g[j] += feat[i * f + j];
        for (int j = 0; j < f; j++) imageFeat[j] = (float) (g[j] / n);
        System.arraycopy(feat, 0, imageFeat, f, m * f);
        RegionSet.globalLocation(imageLoc, 0);
        System.arraycopy(loc, 0, imageLoc, RegionSet.LOCATION_DIMS, loc.length);
        int[] imageMask = new int[rows];
        Arrays.fill(imageMask, 0, n + 1, 1);
        return new PretrainingItem(ids, mask, seg, lm, isNext, imageFeat, imageLoc, target, regionLabels, imageMask, imageId);
    }
}

package dev.groundwork.models.data.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.interbert.data.ConcapLmdb;
import dev.groundwork.models.interbert.data.ConcapRecord;
import dev.groundwork.models.interbert.data.FeatureLmdb;
import dev.groundwork.models.interbert.data.FlickrSplit;
import dev.groundwork.models.interbert.data.HardNegatives;
import dev.groundwork.models.interbert.data.ImageFeatures;
import dev.groundwork.models.interbert.data.LmdbStore;
import dev.groundwork.models.interbert.data.VcrAnnotations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What is in a dataset the project reads, as JSON (what {@code gw data inspect} prints). InterBERT's
 * formats use the field names of the fixtures' {@code expected.json}: a pretraining LMDB is a list of
 * records (key, image_id, num_boxes, height, width, caption, feat_sum = float64 sum of the raw
 * features, box0, cls_prob_argmax0); a feature store maps image ids to num_boxes, height, width,
 * feat_sum, global_feat_first (the reader's global token's first value) and box_last; folders laid out
 * like the fixtures ({@code concap/}, {@code flickr30k/}, {@code VCR/}) give the whole expected.json
 * shape, and VCR adds whether each question's image is in both feature stores. VG-BERT's formats (COCO
 * and VG index files, the Karpathy split file, an image folder) get counts, ids and captions.
 */
public final class DatasetInspector {
    private static final JsonNodeFactory J = JsonNodeFactory.instance;
    private static final ObjectMapper M = new ObjectMapper();

    private DatasetInspector() {}

    public static JsonNode inspect(Path p) throws DataException {
        if (!Files.exists(p)) throw new DataException(-1, p, "no such file or directory");
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        if (LmdbStore.looksLike(p)) return lmdb(p);
        if (Files.isDirectory(p)) {
            if (Files.isDirectory(p.resolve("concap")) || Files.isDirectory(p.resolve("flickr30k")) || Files.isDirectory(p.resolve("VCR"))) return root(p);
            if (Files.exists(p.resolve("caption_train.json")) || Files.exists(p.resolve("training_feat_all.lmdb"))) return concapDir(p);
            if (Files.exists(p.resolve("hard_negative.pkl")) || hasSuffix(p, ".jsonline")) return flickrDir(p);
            if (Files.exists(p.resolve("train.jsonl")) || Files.exists(p.resolve("val.jsonl"))) return vcrDir(p);
            return VgBertFormats.imageFolder(p);
        }
        if (name.endsWith(".jsonline")) return flickrSplit(FlickrSplit.read(p));
        if (name.endsWith(".jsonl")) return vcrFile(p, null, null);
        if (name.endsWith(".pkl")) return hardNegatives(HardNegatives.read(p));
        if (name.endsWith(".json")) return VgBertFormats.json(p);
        throw new DataException(-1, p, "is not a dataset format this project reads (LMDB, .jsonline, .jsonl, .pkl, .json, an image folder)");
    }

    private static boolean hasSuffix(Path dir, String suffix) throws DataException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(suffix));
        } catch (IOException e) {
            throw new DataException(-1, dir, "cannot list: " + e.getMessage(), e);
        }
    }

    private static JsonNode lmdb(Path p) throws DataException {
        boolean concap;
        try (LmdbStore s = LmdbStore.open(p)) {
            concap = s.get(ConcapLmdb.KEYS) != null || s.get(FeatureLmdb.KEYS) == null;
        }
        return concap ? concap(p) : features(p);
    }

    static ArrayNode concap(Path p) throws DataException {
        ArrayNode out = J.arrayNode();
        try (ConcapLmdb db = ConcapLmdb.open(p, 0, 0)) {
            for (int i = 0; i < db.size(); i++) {
                ConcapRecord r = db.record(i);
                ObjectNode o = out.addObject();
                o.put("key", r.key()).put("image_id", r.imageId()).put("num_boxes", r.numBoxes());
                number(o, "height", r.height());
                number(o, "width", r.width());
                o.put("caption", r.caption()).put("feat_sum", r.featSum());
                if (r.numBoxes() > 0) {
                    ArrayNode b = o.putArray("box0");
                    for (int k = 0; k < 4; k++) b.add((double) r.boxes()[k]);
                    o.put("cls_prob_argmax0", r.clsProbArgmax0());
                }
            }
        }
        return out;
    }

    private static void number(ObjectNode o, String f, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) o.put(f, (long) v);
        else o.put(f, v);
    }

    static ObjectNode features(Path p) throws DataException {
        ObjectNode out = J.objectNode();
        try (FeatureLmdb store = FeatureLmdb.open(p, 0)) {
            for (String id : store.ids()) {
                ImageFeatures im = store.image(id);
                ObjectNode o = out.putObject(id);
                o.put("num_boxes", im.numBoxes()).put("height", im.height()).put("width", im.width()).put("feat_sum", im.featSum());
                o.put("global_feat_first", (double) im.regions().features()[0]);
                if (im.numBoxes() > 0) {
                    ArrayNode b = o.putArray("box_last");
                    for (int k = 0; k < 4; k++) b.add((double) im.boxes()[4 * (im.numBoxes() - 1) + k]);
                }
            }
        }
        return out;
    }

    private static ObjectNode concapDir(Path dir) throws DataException {
        ObjectNode out = J.objectNode();
        for (String f : new String[]{"training_feat_all.lmdb", "validation_all.lmdb"})
            if (Files.exists(dir.resolve(f))) out.set(f, concap(dir.resolve(f)));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(x -> x.getFileName().toString().matches("training_feat_part_\\d+\\.lmdb")).sorted().toList())
                out.set(f.getFileName().toString(), concap(f));
        } catch (IOException e) {
            throw new DataException(-1, dir, "cannot list: " + e.getMessage(), e);
        }
        return out;
    }

    static ObjectNode flickrSplit(FlickrSplit s) {
        ObjectNode out = J.objectNode();
        ArrayNode ids = out.putArray("image_ids"), caps = out.putArray("captions");
        for (FlickrSplit.Image im : s.images()) {
            ids.add(im.id());
            ArrayNode c = caps.addArray();
            im.sentences().forEach(c::add);
        }
        return out;
    }

    static ObjectNode hardNegatives(HardNegatives h) {
        ObjectNode out = J.objectNode();
        ArrayNode ids = out.putArray("train_image_list"), pool = out.putArray("hard_pool");
        for (long id : h.imageIds()) ids.add(id);
        for (int i = 0; i < h.images(); i++) {
            ArrayNode row = pool.addArray();
            for (int k : h.row(i)) row.add(k);
        }
        return out;
    }

    private static ObjectNode flickrDir(Path dir) throws DataException {
        ObjectNode out = J.objectNode(), splits = J.objectNode();
        ArrayNode all = out.putArray("image_ids");
        java.util.TreeSet<Long> ids = new java.util.TreeSet<>();
        Integer per = null;
        for (String split : new String[]{"train", "val_set0", "test_set0"}) {
            Path f = dir.resolve("all_data_final_" + split + "_2014.jsonline");
            if (!Files.exists(f)) continue;
            FlickrSplit s = FlickrSplit.read(f);
            ArrayNode a = splits.putArray(split);
            for (FlickrSplit.Image im : s.images()) {
                a.add(im.id());
                ids.add(im.id());
                per = per == null || per == im.sentences().size() ? Integer.valueOf(im.sentences().size()) : Integer.valueOf(-1);
            }
        }
        ids.forEach(all::add);
        out.set("splits", splits);
        Path store = dir.resolve("flickr30k_resnet101_faster_rcnn_genome.lmdb");
        if (LmdbStore.looksLike(store)) out.set("features", features(store));
        if (Files.exists(dir.resolve("hard_negative.pkl"))) out.set("hard_pool", hardNegatives(HardNegatives.read(dir.resolve("hard_negative.pkl"))).get("hard_pool"));
        if (per != null) out.put("captions_per_image", per);
        return out;
    }

    /** One VCR annotation file: its question count, and which questions' images are missing from the given stores. */
    private static ObjectNode vcrFile(Path f, FeatureLmdb det, FeatureLmdb gt) throws DataException {
        VcrAnnotations a = VcrAnnotations.read(f);
        ObjectNode out = J.objectNode();
        out.put("questions", a.questions().size());
        ArrayNode ids = out.putArray("img_ids"), missing = out.putArray("missing_from_features");
        for (VcrAnnotations.Question q : a.questions()) {
            ids.add(q.imgId());
            if ((det != null && !det.contains(q.featureKey())) || (gt != null && !gt.contains(q.featureKey()))) missing.add(q.imgId());
        }
        return out;
    }

    private static ObjectNode vcrDir(Path dir) throws DataException {
        ObjectNode out = J.objectNode(), questions = out.putObject("questions");
        Path d = dir.resolve("VCR_resnet101_faster_rcnn_genome.lmdb"), g = dir.resolve("VCR_gt_resnet101_faster_rcnn_genome.lmdb");
        try (FeatureLmdb det = LmdbStore.looksLike(d) ? FeatureLmdb.open(d, 0) : null;
             FeatureLmdb gt = LmdbStore.looksLike(g) ? FeatureLmdb.open(g, 0) : null) {
            for (String split : new String[]{"train", "val", "test"}) {
                Path f = dir.resolve(split + ".jsonl");
                if (!Files.exists(f)) continue;
                ObjectNode s = vcrFile(f, det, gt);
                questions.put(split, s.get("questions").asInt());
                if (!s.get("missing_from_features").isEmpty()) out.withObject("missing_from_features").set(split, s.get("missing_from_features"));
            }
        }
        if (LmdbStore.looksLike(d)) out.set("detected", features(d));
        if (LmdbStore.looksLike(g)) out.set("ground_truth", features(g));
        out.put("feature_key_rule", "train-k -> k, val-k -> k + 1000000, test-k -> k + 2000000");
        return out;
    }

    private static ObjectNode root(Path dir) throws DataException {
        ObjectNode out = J.objectNode();
        Integer f = null, c = null;
        if (Files.isDirectory(dir.resolve("concap"))) {
            ObjectNode concap = concapDir(dir.resolve("concap"));
            out.set("concap", concap);
            Path first = dir.resolve("concap/training_feat_all.lmdb");
            if (Files.exists(first)) try (ConcapLmdb db = ConcapLmdb.open(first, 0, 0)) { f = db.featureSize(); c = db.classes(); }
        }
        if (Files.isDirectory(dir.resolve("flickr30k"))) out.set("flickr30k", flickrDir(dir.resolve("flickr30k")));
        if (Files.isDirectory(dir.resolve("VCR"))) out.set("VCR", vcrDir(dir.resolve("VCR")));
        if (f != null) out.put("feature_size", f).put("detector_classes", c);
        return out;
    }

    /** The JSON as a few lines a person reads: each record on one line, arrays of numbers inline. */
    public static String text(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        text(n, "", sb);
        return sb.toString();
    }

    private static void text(JsonNode n, String indent, StringBuilder sb) {
        if (n.isValueNode()) {
            sb.append(n.asText()).append('\n');
            return;
        }
        if (n.isObject() && isFlat(n) || n.isArray() && isFlat(n)) {
            sb.append(compact(n)).append('\n');
            return;
        }
        if (n.isArray()) {
            sb.append(n.size()).append(" records\n");
            for (JsonNode e : n) { sb.append(indent).append("  "); text(e, indent + "  ", sb); }
            return;
        }
        sb.append('\n');
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            sb.append(indent).append(e.getKey()).append(": ");
            text(e.getValue(), indent + "  ", sb);
        }
    }

    private static boolean isFlat(JsonNode n) {
        for (JsonNode c : n) if (c.isContainerNode() && !(c.isArray() && c.size() <= 5 && !c.isEmpty() && !c.get(0).isContainerNode())) return false;
        return n.isValueNode() || n.size() <= 12 || n.isArray() && !n.isEmpty() && !n.get(0).isContainerNode();
    }

    private static String compact(JsonNode n) {
        try {
            return M.writeValueAsString(n);
        } catch (IOException e) {
            return n.toString();
        }
    }
}

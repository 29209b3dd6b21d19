package dev.groundwork.models.interbert.data;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every value of the fixtures' expected.json, read from the files the real Python libraries wrote. */
class OriginalFormatsTest {
    private static final double SUM_TOL = 1e-9;

    @Test
    void pretrainingLmdbFilesMatchExpected() throws Exception {
        Path dir = InterBertFixtures.dir().resolve("concap");
        JsonNode exp = InterBertFixtures.expected().get("concap");
        int f = InterBertFixtures.expected().get("feature_size").asInt(), c = InterBertFixtures.expected().get("detector_classes").asInt();
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) exp::fields) {
            try (ConcapLmdb db = ConcapLmdb.open(dir.resolve(e.getKey()), f, c)) {
                assertEquals(e.getValue().size(), db.size(), e.getKey());
                for (int i = 0; i < db.size(); i++) {
                    JsonNode x = e.getValue().get(i);
                    ConcapRecord r = db.record(i);
                    String at = e.getKey() + " " + r.key();
                    assertEquals(x.get("key").asText(), r.key(), at);
                    assertEquals(x.get("image_id").asText(), r.imageId(), at);
                    assertEquals(x.get("num_boxes").asInt(), r.numBoxes(), at);
                    assertEquals(x.get("height").asDouble(), r.height(), at);
                    assertEquals(x.get("width").asDouble(), r.width(), at);
                    assertEquals(x.get("caption").asText(), r.caption(), at);
                    assertEquals(x.get("feat_sum").asDouble(), r.featSum(), SUM_TOL * Math.abs(r.featSum()), at);
                    for (int k = 0; k < 4; k++) assertEquals((float) x.get("box0").get(k).asDouble(), r.boxes()[k], at);
                    assertEquals(x.get("cls_prob_argmax0").asInt(), r.clsProbArgmax0(), at);
                }
            }
        }
    }

    @Test
    void flickrSplitsFeaturesAndHardPoolMatchExpected() throws Exception {
        Path dir = InterBertFixtures.dir().resolve("flickr30k");
        JsonNode exp = InterBertFixtures.expected().get("flickr30k");
        List<Long> all = new ArrayList<>();
        for (var s : (Iterable<Map.Entry<String, JsonNode>>) exp.get("splits")::fields) {
            FlickrSplit split = FlickrSplit.read(dir.resolve("all_data_final_" + s.getKey() + "_2014.jsonline"));
            List<Long> want = new ArrayList<>();
            s.getValue().forEach(n -> want.add(n.asLong()));
            assertEquals(want, split.imageIds(), s.getKey());
            for (FlickrSplit.Image im : split.images()) assertEquals(exp.get("captions_per_image").asInt(), im.sentences().size());
            all.addAll(split.imageIds());
        }
        List<Long> ids = new ArrayList<>();
        exp.get("image_ids").forEach(n -> ids.add(n.asLong()));
        assertEquals(ids, all.stream().sorted().toList());
        try (FeatureLmdb store = FeatureLmdb.open(dir.resolve("flickr30k_resnet101_faster_rcnn_genome.lmdb"), 2048)) {
            assertEquals(ids.stream().map(String::valueOf).toList(), store.ids());
            checkFeatures(store, exp.get("features"));
        }
        HardNegatives hn = HardNegatives.read(dir.resolve("hard_negative.pkl"));
        assertArrayEquals(toLongs(exp.get("splits").get("train")), hn.imageIds());
        JsonNode pool = exp.get("hard_pool");
        assertEquals(pool.size(), hn.images());
        for (int i = 0; i < pool.size(); i++) assertArrayEquals(toInts(pool.get(i)), hn.row(i), "hard pool row " + i);
    }

    @Test
    void vcrFeatureStoresAndAnnotationsMatchExpected() throws Exception {
        Path dir = InterBertFixtures.dir().resolve("VCR");
        JsonNode exp = InterBertFixtures.expected().get("VCR");
        try (FeatureLmdb det = FeatureLmdb.open(dir.resolve("VCR_resnet101_faster_rcnn_genome.lmdb"), 2048);
             FeatureLmdb gt = FeatureLmdb.open(dir.resolve("VCR_gt_resnet101_faster_rcnn_genome.lmdb"), 2048)) {
            checkFeatures(det, exp.get("detected"));
            checkFeatures(gt, exp.get("ground_truth"));
        }
        for (String split : List.of("train", "val")) {
            VcrAnnotations a = VcrAnnotations.read(dir.resolve(split + ".jsonl"));
            assertEquals(exp.get("questions").get(split).asInt(), a.questions().size(), split);
            for (VcrAnnotations.Question q : a.questions()) {
                String k = q.featureKey();
                assertTrue(exp.get("detected").has(k), q.imgId() + " -> " + k);
                assertFalse(VcrAnnotations.names(dir.resolve("vcr1images").resolve(q.metadataFn())).isEmpty());
            }
        }
        assertEquals("1000003", VcrAnnotations.featureKey("val-3"));
        assertEquals("2000007", VcrAnnotations.featureKey("test-7"));
        assertEquals(List.of("Casey", "Riley", "Jessie", "Jackie", "Avery"), VcrAnnotations.nameTable(dir.resolve("unisex_names_table.csv")));
    }

    /** num_boxes, height, width, feat_sum, the reader's global feature[0] and the last pixel box of every image. */
    private static void checkFeatures(FeatureLmdb store, JsonNode exp) throws Exception {
        assertEquals(exp.size(), store.ids().size());
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) exp::fields) {
            ImageFeatures im = store.image(e.getKey());
            JsonNode x = e.getValue();
            String at = store.path().getFileName() + " " + e.getKey();
            assertEquals(x.get("num_boxes").asInt(), im.numBoxes(), at);
            assertEquals(x.get("height").asInt(), im.height(), at);
            assertEquals(x.get("width").asInt(), im.width(), at);
            assertEquals(x.get("feat_sum").asDouble(), im.featSum(), SUM_TOL * Math.abs(im.featSum()), at);
            RegionSet rs = im.regions();
            assertEquals(im.numBoxes() + 1, rs.count());
            // numpy's float32 mean and ours (double, rounded once) may differ in the last bit.
            assertEquals(x.get("global_feat_first").asDouble(), rs.features()[0], 1e-6, at);
            int n = im.numBoxes();
            for (int k = 0; k < 4; k++) assertEquals((float) x.get("box_last").get(k).asDouble(), im.boxes()[4 * (n - 1) + k], at);
            assertArrayEquals(new float[]{0, 0, 1, 1, 1}, java.util.Arrays.copyOf(rs.locations(), 5));
            float[] l = rs.locations();
            int o = 5 * n;
            assertEquals(im.boxes()[4 * (n - 1)] / im.width(), l[o], 1e-6);
            assertEquals((im.boxes()[4 * n - 1] - im.boxes()[4 * n - 3]) * (im.boxes()[4 * n - 2] - im.boxes()[4 * n - 4]) / ((double) im.width() * im.height()), l[o + 4], 1e-6);
        }
    }

    private static long[] toLongs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asLong();
        return out;
    }

    private static int[] toInts(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }
}

package dev.groundwork.models.data.vg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.data.BadRecordPolicy;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.ImagePipeline;
import dev.groundwork.models.data.RelationItem;
import dev.groundwork.models.data.VisualGenome;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.Vocab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gw data prepare-vg} on Visual Genome v1.4 files as visualgenome.org ships them (image_data.json with
 * image URLs and coco ids, relationships.json whose ends carry {@code name} or {@code names} and synsets,
 * attributes.json, objects.json left unread), small enough that every count is worked out by hand below.
 */
class VgPrepareTest {
    @TempDir Path dir;

    static final String IMAGE_DATA = """
            [{"width": 800, "url": "https://cs.stanford.edu/people/rak248/VG_100K_2/1.jpg", "height": 600, "image_id": 1, "coco_id": null, "flickr_id": null},
             {"width": 800, "url": "https://cs.stanford.edu/people/rak248/VG_100K/2.jpg", "height": 600, "image_id": 2, "coco_id": 123, "flickr_id": 456},
             {"width": 500, "url": "https://cs.stanford.edu/people/rak248/VG_100K/3.jpg", "height": 333, "image_id": 3, "coco_id": null, "flickr_id": null}]""";

    /** Image 1: wear, on, on, a predicate without synset, have. Image 2: wear, on, the same pair again, a hat on itself. Image 3: have only. */
    static final String RELATIONSHIPS = """
            [{"relationships": [
               {"predicate": "wearing", "relationship_id": 11, "synsets": ["wear.v.01"],
                "subject": {"object_id": 101, "x": 1, "y": 2, "w": 30, "h": 90, "names": ["man"], "synsets": ["man.n.01"]},
                "object": {"object_id": 102, "x": 5, "y": 20, "w": 20, "h": 30, "name": "Shirt", "synsets": ["shirt.n.01"]}},
               {"predicate": "ON", "relationship_id": 12, "synsets": ["on.r.01"],
                "subject": {"object_id": 101, "x": 1, "y": 2, "w": 30, "h": 90, "name": "man", "synsets": ["man.n.01"]},
                "object": {"object_id": 103, "x": 0, "y": 80, "w": 800, "h": 200, "name": "street", "synsets": ["street.n.01"]}},
               {"predicate": "on", "relationship_id": 13, "synsets": ["on.r.01"],
                "subject": {"object_id": 102, "x": 5, "y": 20, "w": 20, "h": 30, "name": "shirt", "synsets": ["shirt.n.01"]},
                "object": {"object_id": 101, "x": 1, "y": 2, "w": 30, "h": 90, "name": "man", "synsets": ["man.n.01"]}},
               {"predicate": "near", "relationship_id": 14, "synsets": [],
                "subject": {"object_id": 101, "x": 1, "y": 2, "w": 30, "h": 90, "name": "man", "synsets": ["man.n.01"]},
                "object": {"object_id": 104, "x": 300, "y": 80, "w": 200, "h": 100, "name": "car", "synsets": ["car.n.01"]}},
               {"predicate": "has", "relationship_id": 15, "synsets": ["have.v.01"],
                "subject": {"object_id": 105, "x": 600, "y": 300, "w": 50, "h": 40, "name": "dog", "synsets": ["dog.n.01"]},
                "object": {"object_id": 106, "x": 640, "y": 310, "w": 10, "h": 5, "name": "tail", "synsets": ["tail.n.01"]}}],
              "image_id": 1},
             {"relationships": [
               {"predicate": "wears", "relationship_id": 21, "synsets": ["wear.v.01"],
                "subject": {"object_id": 201, "x": 1, "y": 1, "w": 9, "h": 9, "name": "woman", "synsets": ["woman.n.01"]},
                "object": {"object_id": 202, "x": 2, "y": 2, "w": 3, "h": 3, "name": "hat", "synsets": ["hat.n.01"]}},
               {"predicate": "on", "relationship_id": 22, "synsets": ["on.r.01"],
                "subject": {"object_id": 201, "x": 1, "y": 1, "w": 9, "h": 9, "name": "woman", "synsets": ["woman.n.01"]},
                "object": {"object_id": 203, "x": 0, "y": 5, "w": 9, "h": 4, "name": "grass", "synsets": ["grass.n.01"]}},
               {"predicate": "wearing", "relationship_id": 23, "synsets": ["wear.v.01"],
                "subject": {"object_id": 201, "x": 1, "y": 1, "w": 9, "h": 9, "name": "woman", "synsets": ["woman.n.01"]},
                "object": {"object_id": 202, "x": 2, "y": 2, "w": 3, "h": 3, "name": "hat", "synsets": ["hat.n.01"]}},
               {"predicate": "on", "relationship_id": 24, "synsets": ["on.r.01"],
                "subject": {"object_id": 202, "x": 2, "y": 2, "w": 3, "h": 3, "name": "hat", "synsets": ["hat.n.01"]},
                "object": {"object_id": 202, "x": 2, "y": 2, "w": 3, "h": 3, "name": "hat", "synsets": ["hat.n.01"]}}],
              "image_id": 2},
             {"relationships": [
               {"predicate": "has", "relationship_id": 31, "synsets": ["have.v.01"],
                "subject": {"object_id": 301, "x": 1, "y": 1, "w": 9, "h": 9, "name": "cat", "synsets": ["cat.n.01"]},
                "object": {"object_id": 302, "x": 2, "y": 2, "w": 3, "h": 3, "name": "tail", "synsets": ["tail.n.01"]}}],
              "image_id": 3}]""";

    static final String ATTRIBUTES = """
            [{"image_id": 1, "attributes": [
               {"synsets": ["man.n.01"], "h": 90, "object_id": 101, "names": ["man"], "w": 30, "attributes": ["tall", "young"], "y": 2, "x": 1},
               {"synsets": ["shirt.n.01"], "h": 30, "object_id": 102, "names": ["shirt"], "w": 20, "attributes": ["White "], "y": 20, "x": 5},
               {"synsets": ["street.n.01"], "h": 200, "object_id": 103, "names": ["street"], "w": 800, "y": 80, "x": 0}]},
             {"image_id": 2, "attributes": [
               {"synsets": ["hat.n.01"], "h": 3, "object_id": 202, "names": ["hat"], "w": 3, "attributes": ["red"], "y": 2, "x": 2}]},
             {"image_id": 3, "attributes": [
               {"synsets": ["cat.n.01"], "h": 9, "object_id": 301, "names": ["cat"], "w": 9, "attributes": ["black"], "y": 1, "x": 1}]}]""";

    private Path vg(String relationships, boolean attributes) throws Exception {
        Path vg = Files.createDirectories(dir.resolve("vg"));
        Files.writeString(vg.resolve("image_data.json"), IMAGE_DATA);
        Files.writeString(vg.resolve("relationships.json"), relationships);
        if (attributes) Files.writeString(vg.resolve("attributes.json"), ATTRIBUTES);
        Files.writeString(vg.resolve("objects.json"), "[]");
        for (String img : List.of("VG_100K_2/1.jpg", "VG_100K/2.jpg", "VG_100K/3.jpg")) {
            Files.createDirectories(vg.resolve(img).getParent());
            BufferedImage b = new BufferedImage(24, 18, BufferedImage.TYPE_INT_RGB);
            b.setRGB(3, 4, 0xFF8800);
            ImageIO.write(b, "jpg", vg.resolve(img).toFile());
        }
        return vg;
    }

    private static VgPrepare.Options all(Path vg, Path out, int predicates, int maxObjects) {
        return new VgPrepare.Options(vg, null, out, predicates, 55, maxObjects, 0.0, BadRecordPolicy.FAIL, null);
    }

    private static List<Integer> ints(JsonNode a) {
        List<Integer> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asInt()));
        return out;
    }

    /** Karpathy's dataset_coco.json as released: image 2 of VG is COCO 123, a test image; COCO 456 (train) is in no VG image. */
    static final String KARPATHY = """
            {"images": [
              {"filepath": "val2014", "sentids": [0, 1], "filename": "COCO_val2014_000000000123.jpg", "imgid": 0, "split": "test",
               "sentences": [{"tokens": ["a", "woman"], "raw": "A woman in a hat.", "imgid": 0, "sentid": 0},
                             {"tokens": ["a", "hat"], "raw": "A red hat.", "imgid": 0, "sentid": 1}], "cocoid": 123},
              {"filepath": "train2014", "sentids": [2], "filename": "COCO_train2014_000000000456.jpg", "imgid": 1, "split": "train",
               "sentences": [{"tokens": ["a", "dog"], "raw": "A dog.", "imgid": 1, "sentid": 2}], "cocoid": 456},
              {"filepath": "val2014", "sentids": [3], "filename": "COCO_val2014_000000000789.jpg", "imgid": 2, "split": "restval",
               "sentences": [{"tokens": ["a", "cat"], "raw": "A cat.", "imgid": 2, "sentid": 3}], "cocoid": 789}],
             "dataset": "coco"}""";

    /** With Karpathy's file, the VG image that is a COCO test image is in neither split nor in the predicate counts, and is counted. */
    @Test
    void karpathyTestImagesAreLeftOut() throws Exception {
        Path out = dir.resolve("out"), karpathy = Files.writeString(dir.resolve("dataset_coco.json"), KARPATHY);
        List<String> log = new ArrayList<>();
        VgPrepare.Summary s = VgPrepare.run(all(vg(RELATIONSHIPS, true), out, 2, 32).withKarpathy(karpathy), log::add);
        assertEquals(1L, s.counts().get("images left out: COCO Karpathy test images"));
        assertEquals(2, s.train());
        JsonNode train = new ObjectMapper().readTree(out.resolve(VgPrepare.TRAIN).toFile());
        List<Long> ids = new ArrayList<>();
        train.get("data").forEach(r -> ids.add(r.get("image_id").asLong()));
        assertEquals(List.of(1L, 3L), ids);
        // Without image 2: have.v.01 2 (images 1 and 3), on.r.01 2, wear.v.01 1: the two kept are have and on.
        assertEquals(List.of("1\thave.v.01\t2", "2\ton.r.01\t2"), Files.readAllLines(out.resolve(VgPrepare.PREDICATES)).subList(2, 4));
        assertTrue(log.stream().anyMatch(l -> l.contains("1 Karpathy test images; 1 Visual Genome images are among them")), log.toString());
        assertTrue(log.getFirst().contains("3 images, 1 of them COCO images"), log.toString());
        JsonNode summary = new ObjectMapper().readTree(out.resolve(VgPrepare.SUMMARY).toFile());
        assertEquals(karpathy.toString(), summary.get("karpathy_test_left_out").asText());
        assertEquals(1, summary.get("counts").get("images left out: COCO Karpathy test images").asInt());

        // Without the file nothing is left out, and the log says so.
        log.clear();
        VgPrepare.Summary plain = VgPrepare.run(all(dir.resolve("vg"), dir.resolve("out2"), 2, 32), log::add);
        assertEquals(2, plain.train());   // images 1 and 2 (image 3 has only have.v.01, not kept with on and wear)
        assertFalse(plain.counts().containsKey("images left out: COCO Karpathy test images"));
        assertTrue(log.stream().anyMatch(l -> l.contains("no --karpathy file")), log.toString());

        // A test image whose cocoid is missing cannot be kept out: an error naming the file and the image.
        Path broken = Files.writeString(dir.resolve("broken.json"), KARPATHY.replace("\"cocoid\": 123", "\"cocoid\": \"123\""));
        var e = assertThrows(DataException.class, () -> VgPrepare.run(all(dir.resolve("vg"), dir.resolve("out3"), 2, 32).withKarpathy(broken), l -> {}));
        assertTrue(e.getMessage().contains("broken.json") && e.getMessage().contains("images[0]: 'cocoid' missing or not an integer"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out3").resolve(VgPrepare.TRAIN)));
    }

    @Test
    void recordsFollowTheStatedRules() throws Exception {
        Path out = dir.resolve("out");
        List<String> log = new ArrayList<>();
        VgPrepare.Summary s = VgPrepare.run(all(vg(RELATIONSHIPS, true), out, 2, 32), log::add);
        // Predicates by training count: on.r.01 4, wear.v.01 3 (have.v.01 2 is the third, not kept with K-1 = 2).
        assertEquals(List.of("id\tpredicate synset\ttrain count", "0\t(none)\t", "1\ton.r.01\t4", "2\twear.v.01\t3"),
                Files.readAllLines(out.resolve(VgPrepare.PREDICATES)));
        // Classes: tail.n.01 2, then the ones seen once, alphabetically (car is only in the synset-less relationship).
        assertEquals("1\ttail.n.01\t2", Files.readAllLines(out.resolve(VgPrepare.CLASSES)).get(2));
        assertEquals(List.of("cat.n.01", "dog.n.01", "grass.n.01", "hat.n.01", "man.n.01", "shirt.n.01", "street.n.01", "woman.n.01"),
                Files.readAllLines(out.resolve(VgPrepare.CLASSES)).subList(3, 11).stream().map(l -> l.split("\t")[1]).toList());

        JsonNode train = new ObjectMapper().readTree(out.resolve(VgPrepare.TRAIN).toFile());
        assertEquals("../vg", train.get("image_base_path").asText());
        JsonNode data = train.get("data");
        assertEquals(2, data.size(), "image 3 keeps no relationship");
        JsonNode one = data.get(0), two = data.get(1);
        assertEquals("VG_100K_2/1.jpg", one.get("image").asText());
        assertEquals(List.of("tall man", "white shirt", "street"), new ObjectMapper().convertValue(one.get("object_description"), List.class));
        assertEquals(List.of(6, 7, 8), ints(one.get("object_class")));
        assertEquals("[[0,2,1],[1,0,0],[0,0,0]]", one.get("relation").toString());
        assertEquals(List.of("woman", "red hat", "grass"), new ObjectMapper().convertValue(two.get("object_description"), List.class));
        assertEquals(List.of(9, 5, 4), ints(two.get("object_class")));
        assertEquals("[[0,2,1],[0,0,0],[0,0,0]]", two.get("relation").toString());
        assertEquals(0, new ObjectMapper().readTree(out.resolve(VgPrepare.VAL).toFile()).get("data").size());

        Map<String, Long> c = s.counts();
        assertEquals(10L, c.get("relationships"));
        assertEquals(5L, c.get("relationships kept"));
        assertEquals(1L, c.get("relationships left out: no predicate synset"));
        assertEquals(2L, c.get("relationships left out: predicate not among the kept ones"));
        assertEquals(1L, c.get("relationships left out: an object with itself"));
        assertEquals(1L, c.get("relationships left out: the pair already has a predicate"));
        assertEquals(1L, c.get("images left out: no kept relationship"));
        assertEquals(6L, c.get("objects"));
        assertEquals(3L, c.get("objects described with an attribute"));
        JsonNode summary = new ObjectMapper().readTree(out.resolve(VgPrepare.SUMMARY).toFile());
        assertEquals(3, summary.get("relation_num").asInt());

        // The records are what stage 3 reads: every record passes the loader's check and decodes.
        BertTokenizer tok = new BertTokenizer(Vocab.of("test", List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "tall", "man", "white",
                "shirt", "street", "woman", "red", "hat", "grass")));
        VisualGenome ds = new VisualGenome(out.resolve(VgPrepare.TRAIN), tok, ImagePipeline.eval(16, 16), 56, 3);
        for (int i = 0; i < ds.size(); i++) ds.check(i);
        RelationItem it = ds.get(0, new Generator(1));
        assertEquals(3, it.objects());
        assertEquals(2, it.relations()[1]);
    }

    @Test
    void withoutAttributesTheNamesDescribeAndTheCapDropsRelationshipsPastIt() throws Exception {
        Path out = dir.resolve("out");
        VgPrepare.Summary s = VgPrepare.run(all(vg(RELATIONSHIPS, false), out, 2, 2), m -> { });
        JsonNode data = new ObjectMapper().readTree(out.resolve(VgPrepare.TRAIN).toFile()).get("data");
        assertEquals(List.of("man", "shirt"), new ObjectMapper().convertValue(data.get(0).get("object_description"), List.class));
        assertEquals("[[0,2],[1,0]]", data.get(0).get("relation").toString());
        assertEquals(2L, s.counts().get("relationships left out: an end past the first 2 objects"));
        assertFalse(s.counts().containsKey("objects described with an attribute"));
    }

    /** Every bad record is named at once; skip leaves those images out. */
    @Test
    void badRecordsAreListedTogetherOrSkipped() throws Exception {
        String broken = RELATIONSHIPS
                .replace("\"image_id\": 3}]", "\"image_id\": 3}, {\"relationships\": []}, {\"relationships\": [], \"image_id\": 99}]")
                .replace("{\"object_id\": 203, ", "{");
        Path vg = vg(broken, true);
        Path out = dir.resolve("out");
        DataException e = assertThrows(DataException.class, () -> VgPrepare.run(all(vg, out, 2, 32), m -> { }));
        assertTrue(e.getMessage().contains("3 bad record(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("element 1 (image 2): relationships[1]: object has no integer object_id"), e.getMessage());
        assertTrue(e.getMessage().contains("element 3: no integer image_id"), e.getMessage());
        assertTrue(e.getMessage().contains("image 99 is not in image_data.json"), e.getMessage());
        assertFalse(Files.exists(out.resolve(VgPrepare.TRAIN)));
        assertEquals(3, Files.readAllLines(out.resolve(VgPrepare.PROBLEMS)).size());

        List<String> log = new ArrayList<>();
        VgPrepare.run(new VgPrepare.Options(vg, null, out, 2, 55, 32, 0.0, BadRecordPolicy.SKIP, null), log::add);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("skipping 3 bad record(s)")), log.toString());
        JsonNode data = new ObjectMapper().readTree(out.resolve(VgPrepare.TRAIN).toFile()).get("data");
        // Without image 2 the training counts are have.v.01 2, on.r.01 2 (wear.v.01 1): image 3's "has" is now kept.
        List<Integer> ids = new ArrayList<>();
        data.forEach(r -> ids.add(r.get("image_id").asInt()));
        assertEquals(List.of(1, 3), ids, "image 2 is left out");
    }

    /** The split depends on the image id only, and its share follows the fraction. */
    @Test
    void theValSplitIsAHashOfTheId() {
        int val = 0;
        for (long id = 1; id <= 20000; id++) if (VgPrepare.isVal(id, 0.05)) val++;
        assertTrue(val > 850 && val < 1150, "val share " + val + " of 20000");
        assertEquals(VgPrepare.isVal(2407890, 0.05), VgPrepare.isVal(2407890, 0.05));
        assertEquals("VG_100K_2/1.jpg", VgPrepare.relativePath("https://cs.stanford.edu/people/rak248/VG_100K_2/1.jpg"));
    }
}

package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code gw data inspect --json} on each InterBERT fixture against its expected.json, and on synthetic data. */
class DataInspectCommandTest {
    @TempDir Path tmp;

    static Path fixtures() {
        Path root = Path.of(System.getProperty("gw.root", ".")).toAbsolutePath().normalize();
        for (Path d = root.getParent(); d != null; d = d.getParent())
            if (Files.isRegularFile(d.resolve("shared/data/interbert/expected.json"))) return d.resolve("shared/data/interbert");
        if (System.getenv("CI") != null) fail("shared/data/interbert not found above " + root + " (CI is set)");
        Assumptions.abort("shared/data/interbert not found above " + root);
        return null;
    }

    private static JsonNode inspect(Path p) throws Exception {
        var r = CheckpointCommandsTest.gw("data", "inspect", p.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void inspectJsonMatchesExpectedOnEveryFixture() throws Exception {
        Path dir = fixtures();
        JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        contains(exp, inspect(dir), "interbert");
        contains(exp.get("concap"), inspect(dir.resolve("concap")), "concap");
        for (String f : new String[]{"training_feat_all.lmdb", "validation_all.lmdb"})
            contains(exp.get("concap").get(f), inspect(dir.resolve("concap").resolve(f)), f);
        contains(exp.get("flickr30k"), inspect(dir.resolve("flickr30k")), "flickr30k");
        contains(exp.get("flickr30k").get("features"), inspect(dir.resolve("flickr30k/flickr30k_resnet101_faster_rcnn_genome.lmdb")), "flickr features");
        contains(exp.get("flickr30k").get("hard_pool"), inspect(dir.resolve("flickr30k/hard_negative.pkl")).get("hard_pool"), "hard_negative.pkl");
        contains(exp.get("flickr30k").get("splits").get("test_set0"), inspect(dir.resolve("flickr30k/all_data_final_test_set0_2014.jsonline")).get("image_ids"), "test split");
        contains(exp.get("VCR"), inspect(dir.resolve("VCR")), "VCR");
        contains(exp.get("VCR").get("ground_truth"), inspect(dir.resolve("VCR/VCR_gt_resnet101_faster_rcnn_genome.lmdb")), "VCR gt");
        assertEquals(exp.get("VCR").get("questions").get("val").asInt(), inspect(dir.resolve("VCR/val.jsonl")).get("questions").asInt());
        var text = CheckpointCommandsTest.gw("data", "inspect", dir.resolve("concap/validation_all.lmdb").toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("5311460") && text.out().contains("On playing a man on street street in."), text.out());
    }

    /** Every field of {@code exp} is in {@code act}: strings and integers equal, other numbers within 1e-9 (relative) or 1e-6 for float32 values. */
    static void contains(JsonNode exp, JsonNode act, String at) {
        assertNotNull(act, at + " is missing");
        if (exp.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = exp.fields(); it.hasNext(); ) {
                var e = it.next();
                contains(e.getValue(), act.get(e.getKey()), at + "." + e.getKey());
            }
        } else if (exp.isArray()) {
            assertEquals(exp.size(), act.size(), at + " length");
            for (int i = 0; i < exp.size(); i++) contains(exp.get(i), act.get(i), at + "[" + i + "]");
        } else if (exp.isIntegralNumber()) {
            assertEquals(exp.asLong(), act.asLong(), at);
            assertTrue(act.isIntegralNumber(), at + " is " + act);
        } else if (exp.isNumber()) {
            double tol = at.endsWith("feat_sum") ? 1e-9 * Math.abs(exp.asDouble()) : 1e-6 * Math.max(1, Math.abs(exp.asDouble()));
            assertEquals(exp.asDouble(), act.asDouble(), tol, at);
        } else {
            assertEquals(exp.asText(), act.asText(), at);
        }
    }

    @Test
    void synthInterbertWritesOriginalFormatsThatInspectReads() throws Exception {
        Path out = tmp.resolve("ib");
        var r = CheckpointCommandsTest.gw("data", "synth", "--kind", "interbert", "--preset", "small", "--images", "20", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("20 images, 64 features, 32 classes"), r.out());
        JsonNode all = inspect(out);
        assertEquals(18, all.get("concap").get("training_feat_all.lmdb").size());
        assertEquals(64, all.get("feature_size").asInt());
        assertEquals(20, all.get("flickr30k").get("features").size());
        assertEquals(5, all.get("flickr30k").get("captions_per_image").asInt());
        assertEquals(16 * dev.groundwork.models.interbert.data.InterBertSynth.QUESTIONS_PER_IMAGE, all.get("VCR").get("questions").get("train").asInt());
        assertFalse(all.get("VCR").has("missing_from_features"));
    }

    @Test
    void badInputIsOneLineNamingTheFile() throws Exception {
        Path junk = tmp.resolve("junk.lmdb");
        Files.write(junk, new byte[8192]);
        var r = CheckpointCommandsTest.gw("data", "inspect", junk.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(junk.toString()) && r.err().strip().lines().count() == 1, r.err());
    }
}

package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SynthScenesTest {
    @TempDir Path dir;

    @Test
    void deterministicPerSeed() throws Exception {
        SynthScenes.write(dir.resolve("a"), 30, 48, 5);
        SynthScenes.write(dir.resolve("b"), 30, 48, 5);
        SynthScenes.write(dir.resolve("c"), 30, 48, 6);
        for (String f : List.of("COCO_train.json", "VG_val.json", "dataset_coco.json", "images/synth_000007.png", "captions/synth_000003.txt"))
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a/VG_train.json")), Files.readAllBytes(dir.resolve("c/VG_train.json"))));
    }

    @Test
    void relationsFollowTheGrid() {
        for (int i = 0; i < 50; i++) {
            SynthScenes.Scene s = SynthScenes.scene(1, i);
            int[][] r = s.relations();
            assertNotEquals(0, r[0][1], "the first two objects are always related");
            for (int a = 0; a < r.length; a++)
                for (int b = 0; b < r.length; b++) {
                    var A = s.shapes().get(a);
                    var B = s.shapes().get(b);
                    if (r[a][b] == SynthScenes.LEFT_OF) { assertEquals(SynthScenes.RIGHT_OF, r[b][a]); assertTrue(A.col() < B.col() && A.row() == B.row()); }
                    if (r[a][b] == SynthScenes.ABOVE) { assertEquals(SynthScenes.BELOW, r[b][a]); assertTrue(A.row() < B.row() && A.col() == B.col()); }
                }
            assertTrue(s.captions().get(0).equals("a " + s.shapes().get(0).phrase() + " " + SynthScenes.PREDICATES.get(r[0][1]) + " a " + s.shapes().get(1).phrase()));
        }
    }

    @Test
    void outputsLoadThroughTheReaders() throws Exception {
        var tok = TestVocab.tokenizer();
        var summary = SynthScenes.write(dir, 40, 32, 3);
        assertEquals(40, summary.train() + summary.val() + summary.test());
        var coco = new CocoCaptions(dir.resolve("COCO_train.json"), tok, ImagePipeline.eval(32, 32), true);
        var vg = new VisualGenome(dir.resolve("VG_train.json"), tok, ImagePipeline.eval(32, 32), SynthScenes.OBJECT_CLASSES, SynthScenes.PREDICATE_COUNT);
        assertEquals(summary.train(), coco.size());
        assertEquals(summary.train(), vg.size());
        var karpathy = RetrievalSet.karpathy(dir.resolve("dataset_coco.json"), dir, "test");
        assertEquals(summary.test(), karpathy.size());
        for (int i = 0; i < vg.size(); i++) {
            VisualGenome.Labels l = vg.labels(i);
            List<String> caps = coco.captions(i);
            assertEquals(5, caps.size());
            // Caption 0 says "a <obj0> <rel[0][1]> a <obj1>", caption 1 the inverse: both agree with the matrix.
            assertEquals("a " + l.phrases()[0] + " " + SynthScenes.PREDICATES.get(l.relations()[0][1]) + " a " + l.phrases()[1], caps.get(0));
            assertEquals("a " + l.phrases()[1] + " " + SynthScenes.PREDICATES.get(l.relations()[1][0]) + " a " + l.phrases()[0], caps.get(1));
            int ab = l.relations()[0][1], ba = l.relations()[1][0];
            assertEquals(ab == SynthScenes.LEFT_OF ? SynthScenes.RIGHT_OF : ab == SynthScenes.RIGHT_OF ? SynthScenes.LEFT_OF
                    : ab == SynthScenes.ABOVE ? SynthScenes.BELOW : SynthScenes.ABOVE, ba);
        }
        // The pixel at the centre of object 0's cell has its colour, and the background is grey.
        SynthScenes.Scene s0 = SynthScenes.scene(3, 0);
        RgbImage raw = ImageIo.read(dir.resolve("images/synth_000000.png"));
        var sh = s0.shapes().get(0);
        int cy = (int) ((sh.row() + 0.5) * 32 / 3), cx = (int) ((sh.col() + 0.5) * 32 / 3);
        float bg = 0x40 / 255f;
        assertEquals(bg, raw.get(0, 0, 0), 1e-6);
        assertFalse(raw.get(0, cy, cx) == bg && raw.get(1, cy, cx) == bg && raw.get(2, cy, cx) == bg, "object 0 is drawn in its cell");
        try (var l = new DataLoader<>(vg, Collate::relations, DataLoader.Options.of(8, 1).workers(2))) {
            RelationBatch b = l.epoch(0).nextBatch();
            assertArrayEquals(new int[]{8, 3, 32, 32}, b.images().shape());
        }
        assertEquals(summary.test(), karpathy.images(ImagePipeline.eval(32, 32)).size());
        assertNotNull(karpathy.captionPairs(tok, ImagePipeline.eval(32, 32), false, 32).get(0, new Generator(0)));
    }
}

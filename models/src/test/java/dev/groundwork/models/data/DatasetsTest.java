package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Loaders on small fixture files, good and malformed. */
class DatasetsTest {
    @TempDir Path dir;

    void png(Path p, int h, int w, int rgb) throws Exception {
        Files.createDirectories(p.getParent());
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) b.setRGB(x, y, rgb);
        ImageIO.write(b, p.toString().endsWith(".png") ? "png" : "jpg", p.toFile());
    }

    @Test
    void cocoCaptionsDrawsCaptionsAndReportsBadRecords() throws Exception {
        var tok = TestVocab.tokenizer();
        png(dir.resolve("img/a.png"), 20, 30, 0xFF0000);
        Files.createDirectories(dir.resolve("cap"));
        Files.writeString(dir.resolve("cap/a.txt"), "a red square\na big red box\n");
        Files.writeString(dir.resolve("coco.json"), """
                {"image_base_path": "img", "caption_base_path": "cap", "data": [
                 {"image": "a.png", "caption": "a.txt"},
                 {"image": "missing.png", "caption": "a.txt"},
                 {"image": "a.png", "caption": "nope.txt"},
                 {"image": 5, "caption": "a.txt"}]}""");
        var ds = new CocoCaptions(dir.resolve("coco.json"), tok, ImagePipeline.eval(18, 16), false);
        assertEquals(4, ds.size());
        CaptionItem it = ds.get(0, new Generator(1));
        assertEquals(16, it.image().height());
        assertEquals((1 - 0.485f) / 0.229f, it.image().get(0, 5, 5), 1e-5);
        assertEquals(101, it.caption().ids()[0]);
        assertEquals(32, it.caption().ids().length);
        java.util.Set<Integer> lengths = new java.util.HashSet<>();
        for (long s = 0; s < 40; s++) lengths.add(ds.get(0, new Generator(s)).caption().nwords());
        assertEquals(java.util.Set.of(5, 6), lengths, "both captions get drawn"); // [CLS] a red square [SEP] / a big red box
        var fixed = new CocoCaptions(dir.resolve("coco.json"), tok, ImagePipeline.eval(18, 16), true);
        for (long s = 0; s < 10; s++) assertEquals(5, fixed.get(0, new Generator(s)).caption().nwords());

        DataException e1 = assertThrows(DataException.class, () -> ds.get(1, new Generator(0)));
        assertEquals(1, e1.index());
        assertTrue(e1.getMessage().contains("missing.png"), e1.getMessage());
        DataException e2 = assertThrows(DataException.class, () -> ds.get(2, new Generator(0)));
        assertTrue(e2.getMessage().contains("dataset index 2") && e2.getMessage().contains("nope.txt"), e2.getMessage());
        DataException e3 = assertThrows(DataException.class, () -> ds.get(3, new Generator(0)));
        assertTrue(e3.getMessage().contains("dataset index 3") && e3.getMessage().contains("'image'"), e3.getMessage());

        CaptionBatch b;
        List<String> warnings = new ArrayList<>();
        try (var l = new DataLoader<>(ds, Collate::captions, DataLoader.Options.of(4, 0).policy(BadRecordPolicy.SKIP).workers(2), warnings::add)) {
            var ep = l.epoch(0);
            b = ep.nextBatch();
            assertNull(ep.nextBatch());
        }
        assertEquals(3, warnings.size());
        assertArrayEquals(new int[]{1, 3, 16, 16}, b.images().shape());
        assertArrayEquals(new int[]{1, 32}, b.ids().shape());
        assertArrayEquals(new int[]{1}, b.nwords().shape());
        try (var l = new DataLoader<>(ds, Collate::captions, DataLoader.Options.of(4, 0).shuffle(false))) {
            assertThrows(DataException.class, () -> l.epoch(0).nextBatch());
        }
        assertThrows(DataException.class, () -> new CocoCaptions(dir.resolve("none.json"), tok, ImagePipeline.eval(16, 16), false));
    }

    @Test
    void unreadableImageNamesTheFile() throws Exception {
        Files.writeString(dir.resolve("junk.png"), "not an image");
        DataException e = assertThrows(DataException.class, () -> ImageIo.read(dir.resolve("junk.png"), 4));
        assertTrue(e.getMessage().contains("dataset index 4") && e.getMessage().contains("junk.png"), e.getMessage());
    }

    @Test
    void visualGenomeBuildsPaddedTargetsAndChecksLabels() throws Exception {
        var tok = TestVocab.tokenizer();
        png(dir.resolve("vg/x.jpg"), 24, 24, 0x00FF00);
        Files.writeString(dir.resolve("vg.json"), """
                {"image_base_path": "vg", "data": [
                 {"image": "x.jpg", "object_description": ["white cloud", "water pond"], "object_class": [3, 0],
                  "relation": [[0, 7], [2, 0]], "relation_num": 2},
                 {"image": "x.jpg", "object_description": ["a", "b"], "object_class": [1, 2], "relation": [[0, 1]]},
                 {"image": "x.jpg", "object_description": ["a"], "object_class": [56], "relation": [[0]]},
                 {"image": "x.jpg", "object_description": ["a", "b"], "object_class": [1, 2], "relation": [[0, 115], [0, 0]]},
                 {"image": "x.jpg", "object_description": ["a"], "object_class": ["one"], "relation": [[0]]}]}""");
        var ds = new VisualGenome(dir.resolve("vg.json"), tok, ImagePipeline.eval(16, 16), 56, 115);
        RelationItem it = ds.get(0, new Generator(0));
        assertEquals(2, it.objects());
        assertEquals(7, it.relations()[1]);
        assertEquals(2, it.relations()[32]);
        assertEquals(3, it.classes()[0]);
        assertEquals(101, it.ids()[0]);
        assertEquals(102, it.ids()[3]); // [CLS] white cloud [SEP]
        String[] why = {null, "relation has 1 rows", "object_class[0] = 56", "relation[0][1] = 115", "object_class[0] is not an integer"};
        for (int i = 1; i < why.length; i++) {
            int k = i;
            DataException e = assertThrows(DataException.class, () -> ds.get(k, new Generator(0)));
            assertEquals(k, e.index());
            assertTrue(e.getMessage().contains(why[k]) && e.getMessage().contains("vg.json"), e.getMessage());
        }
        RelationBatch b = Collate.relations(List.of(it, it));
        assertArrayEquals(new int[]{2, 32, 10}, b.ids().shape());
        assertArrayEquals(new int[]{2, 32, 32}, b.relationTarget().shape());
        assertArrayEquals(new int[]{2, 32}, b.objectMask().shape());
        assertArrayEquals(new int[]{2, 3, 16, 16}, b.images().shape());
    }

    @Test
    void visualGenomeKeepsTheFirst32Objects() throws Exception {
        var tok = TestVocab.tokenizer();
        png(dir.resolve("vg/x.png"), 16, 16, 0);
        int n = 40;
        StringBuilder rel = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            rel.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < n; j++) rel.append(j == 0 ? "" : ",").append(j == i + 1 ? 1 : 0);
            rel.append("]");
        }
        rel.append("]");
        String desc = String.join(",", java.util.Collections.nCopies(n, "\"one two three four five six seven eight nine\""));
        String cls = String.join(",", java.util.Collections.nCopies(n, "1"));
        Files.writeString(dir.resolve("vg.json"), "{\"image_base_path\": \"vg\", \"data\": [{\"image\": \"x.png\", \"object_description\": ["
                + desc + "], \"object_class\": [" + cls + "], \"relation\": " + rel + "}]}");
        RelationItem it = new VisualGenome(dir.resolve("vg.json"), tok, ImagePipeline.eval(16, 16), 56, 115).get(0, new Generator(0));
        assertEquals(32, it.objects());
        assertEquals(1, it.relations()[30 * 32 + 31]);
        assertEquals(0, it.relations()[31 * 32 + 0]);
        assertNotEquals(102, it.ids()[9], "a 9-word phrase loses its [SEP] at L=10");
    }

    @Test
    void imageFolderSortsClassesAndReadsJpegAndPng() throws Exception {
        png(dir.resolve("train/zebra/1.png"), 10, 10, 0);
        png(dir.resolve("train/apple/b.jpg"), 10, 12, 0xFFFFFF);
        png(dir.resolve("train/apple/a.PNG"), 10, 10, 0);
        Files.writeString(dir.resolve("train/apple/notes.txt"), "x");
        var ds = ImageFolder.open(dir, "train", ImagePipeline.eval(8, 8));
        assertEquals(List.of("apple", "zebra"), ds.classes());
        assertEquals(3, ds.size());
        assertEquals(0, ds.label(0));
        assertEquals(1, ds.label(2));
        ImageBatch b = Collate.images(List.of(ds.get(0, new Generator(0)), ds.get(2, new Generator(0))));
        assertArrayEquals(new int[]{2, 3, 8, 8}, b.images().shape());
        assertThrows(DataException.class, () -> ImageFolder.open(dir, "val", ImagePipeline.eval(8, 8)));
    }

    @Test
    void karpathyAndCocoAnnotationReaders() throws Exception {
        Files.writeString(dir.resolve("dataset_coco.json"), """
                {"images": [
                 {"filepath": "val2014", "filename": "a.jpg", "split": "test", "sentences": [{"raw": "one"}, {"raw": "two"}, {"raw": "three"}, {"raw": "four"}, {"raw": "five"}, {"raw": "six"}]},
                 {"filepath": "train2014", "filename": "b.jpg", "split": "train", "sentences": [{"raw": "x"}]},
                 {"filepath": "val2014", "filename": "c.jpg", "split": "restval", "sentences": [{"raw": "1"}, {"raw": "2"}, {"raw": "3"}, {"raw": "4"}, {"raw": "5"}]}]}""");
        RetrievalSet test = RetrievalSet.karpathy(dir.resolve("dataset_coco.json"), dir, "test");
        assertEquals(1, test.size());
        assertEquals(dir.resolve("val2014/a.jpg"), test.entries().getFirst().image());
        assertEquals(List.of("one", "two", "three", "four", "five"), test.entries().getFirst().captions());
        assertEquals(1, RetrievalSet.karpathy(dir.resolve("dataset_coco.json"), dir, "restval").size());
        DataException e = assertThrows(DataException.class, () -> RetrievalSet.karpathy(dir.resolve("dataset_coco.json"), dir, "train"));
        assertTrue(e.getMessage().contains("record 1: b.jpg has 1 captions, want 5"), e.getMessage());

        Files.writeString(dir.resolve("captions_val2017.json"), """
                {"images": [{"id": 9, "file_name": "n.jpg"}, {"id": 4, "file_name": "f.jpg"}],
                 "annotations": [{"image_id": 4, "caption": "f1"}, {"image_id": 9, "caption": "n1"}, {"image_id": 4, "caption": "f2"},
                  {"image_id": 4, "caption": "f3"}, {"image_id": 4, "caption": "f4"}, {"image_id": 4, "caption": "f5 "},
                  {"image_id": 9, "caption": "n2"}, {"image_id": 9, "caption": "n3"}, {"image_id": 9, "caption": "n4"}, {"image_id": 9, "caption": "n5"}]}""");
        RetrievalSet coco = RetrievalSet.cocoAnnotations(dir.resolve("captions_val2017.json"), dir.resolve("val2017"));
        assertEquals(dir.resolve("val2017/n.jpg"), coco.entries().get(0).image());
        assertEquals(List.of("f1", "f2", "f3", "f4", "f5"), coco.entries().get(1).captions());
    }
}

package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.text.BertTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COCO as users download it: {@code annotations/captions_train2017.json} beside {@code train2017/} (the
 * fields of cocodataset.org's caption files, info and licenses included), and Karpathy's
 * {@code dataset_coco.json} (its 2014 file names, or the 2017 release's names under the cocoid). Bad records
 * are all found by the up-front check; problems not tied to an image are listed together.
 */
class CaptionFilesTest {
    @TempDir Path dir;

    private static void jpeg(Path p, int rgb) throws Exception {
        Files.createDirectories(p.getParent());
        BufferedImage img = new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 20; x++) img.setRGB(x, y, rgb ^ (x * 7 + y));
        ImageIO.write(img, "jpg", p.toFile());
    }

    /** Two images with five and six captions, in COCO's field layout (annotations interleaved across images). */
    private Path cocoLayout() throws Exception {
        jpeg(dir.resolve("coco/train2017/000000000009.jpg"), 0x336699);
        jpeg(dir.resolve("coco/train2017/000000000025.jpg"), 0x993366);
        Path ann = dir.resolve("coco/annotations/captions_train2017.json");
        Files.createDirectories(ann.getParent());
        StringBuilder anns = new StringBuilder();
        int id = 1;
        for (int k = 0; k < 6; k++) {
            if (k < 5) anns.append(String.format("{\"image_id\": 9, \"id\": %d, \"caption\": \"a bowl of food number %d \"},", id++, k));
            anns.append(String.format("{\"image_id\": 25, \"id\": %d, \"caption\": \"A giraffe eating leaves %d.\"},", id++, k));
        }
        Files.writeString(ann, """
                {"info": {"description": "COCO 2017 Dataset", "url": "http://cocodataset.org", "version": "1.0", "year": 2017,
                  "contributor": "COCO Consortium", "date_created": "2017/09/01"},
                 "licenses": [{"url": "http://creativecommons.org/licenses/by-nc-sa/2.0/", "id": 1, "name": "Attribution-NonCommercial-ShareAlike License"}],
                 "images": [
                  {"license": 3, "file_name": "000000000009.jpg", "coco_url": "http://images.cocodataset.org/train2017/000000000009.jpg",
                   "height": 480, "width": 640, "date_captured": "2013-11-19 20:40:11", "flickr_url": "http://farm5.staticflickr.com/x.jpg", "id": 9},
                  {"license": 5, "file_name": "000000000025.jpg", "coco_url": "http://images.cocodataset.org/train2017/000000000025.jpg",
                   "height": 426, "width": 640, "date_captured": "2013-11-14 22:38:15", "flickr_url": "http://farm1.staticflickr.com/y.jpg", "id": 25}],
                 "annotations": [%s]}""".formatted(anns.substring(0, anns.length() - 1)));
        return ann;
    }

    @Test
    void cocosCaptionFileIsReadAsDownloaded() throws Exception {
        Path ann = cocoLayout();
        assertEquals(CaptionFiles.Kind.COCO_ANNOTATIONS, CaptionFiles.kind(ann));
        assertEquals(dir.resolve("coco").toAbsolutePath(), CaptionFiles.defaultRoot(ann));
        List<CaptionFiles.Image> images = CaptionFiles.coco(ann, CaptionFiles.defaultRoot(ann));
        assertEquals(2, images.size());
        assertEquals(dir.resolve("coco/train2017/000000000009.jpg").toAbsolutePath(), images.get(0).image());
        assertEquals(5, images.get(0).captions().size());
        assertEquals("a bowl of food number 0", images.get(0).captions().getFirst());
        assertEquals(6, images.get(1).captions().size());
        assertNull(images.get(1).problem());

        BertTokenizer tok = TestVocab.tokenizer();
        Dataset<CaptionItem> ds = CaptionPairs.open(ann, null, true, tok, ImagePipeline.eval(8, 8), false, 12);
        assertInstanceOf(CaptionPairs.class, ds);
        for (int i = 0; i < ds.size(); i++) ds.check(i);
        CaptionItem it = ds.get(1, new Generator(3));
        assertEquals(12, it.caption().ids().length);

        // The retrieval protocol keeps five captions per image.
        RetrievalSet r = RetrievalSet.cocoAnnotations(ann, CaptionFiles.defaultRoot(ann));
        assertEquals(List.of(5, 5), r.entries().stream().map(e -> e.captions().size()).toList());
    }

    @Test
    void everyBadCocoRecordIsFoundAtOnce() throws Exception {
        Path ann = cocoLayout();
        // A third image without captions, a fourth whose file is missing, a caption that is not a string.
        String json = Files.readString(ann)
                .replace("\"id\": 25}]", "\"id\": 25}, {\"file_name\": \"000000000030.jpg\", \"id\": 30}, {\"file_name\": \"000000000034.jpg\", \"id\": 34}]")
                .replace("\"annotations\": [", "\"annotations\": [{\"image_id\": 34, \"caption\": \"x\"}, {\"image_id\": 9, \"caption\": 7}, ");
        Files.writeString(ann, json);
        jpeg(dir.resolve("coco/train2017/000000000030.jpg"), 0);
        Dataset<CaptionItem> ds = CaptionPairs.open(ann, null, true, TestVocab.tokenizer(), ImagePipeline.eval(8, 8), false, 12);
        BadRecords.Found f = assertThrows(BadRecords.Found.class, () -> BadRecords.screen(ds, ann, BadRecordPolicy.FAIL, null, s -> { }));
        assertEquals(3, f.records().size(), f.getMessage());
        assertTrue(f.getMessage().contains("'caption' missing or not a string"), f.getMessage());
        assertTrue(f.getMessage().contains("record 2: no caption in 'annotations'"), f.getMessage());
        assertTrue(f.getMessage().contains("000000000034.jpg") && f.getMessage().contains("image file not found"), f.getMessage());

        // Annotations naming images the file does not have, and repeated ids: listed together, not one by one.
        Files.writeString(ann, json.replace("\"annotations\": [", "\"annotations\": [{\"image_id\": 77, \"caption\": \"x\"}, {\"image_id\": 78, \"caption\": \"y\"}, "));
        DataException e = assertThrows(DataException.class, () -> CaptionFiles.coco(ann, dir.resolve("coco")));
        assertTrue(e.getMessage().contains("2 problem(s) not tied to one image") && e.getMessage().contains("image_id 77")
                && e.getMessage().contains("image_id 78"), e.getMessage());
    }

    /** Karpathy's file names 2014 images; a user with the 2017 release has them under the cocoid. */
    @Test
    void karpathysSplitFileFindsTheImagesOfEitherRelease() throws Exception {
        jpeg(dir.resolve("coco/val2014/COCO_val2014_000000391895.jpg"), 0x112233);
        jpeg(dir.resolve("coco/train2017/000000522418.jpg"), 0x445566);
        jpeg(dir.resolve("coco/val2017/000000184613.jpg"), 0x778899);
        StringBuilder sents = new StringBuilder();
        for (int k = 0; k < 5; k++) sents.append(String.format("{\"tokens\": [\"a\"], \"raw\": \"caption %d \", \"imgid\": 0, \"sentid\": %d},", k, k));
        String s = "[" + sents.substring(0, sents.length() - 1) + "]";
        Path k = Files.writeString(dir.resolve("coco/dataset_coco.json"), """
                {"images": [
                 {"filepath": "val2014", "sentids": [0, 1, 2, 3, 4], "filename": "COCO_val2014_000000391895.jpg", "imgid": 0, "split": "test", "sentences": %s, "cocoid": 391895},
                 {"filepath": "val2014", "sentids": [5], "filename": "COCO_val2014_000000522418.jpg", "imgid": 1, "split": "restval", "sentences": %s, "cocoid": 522418},
                 {"filepath": "train2014", "sentids": [6], "filename": "COCO_train2014_000000184613.jpg", "imgid": 2, "split": "train", "sentences": %s, "cocoid": 184613},
                 {"filepath": "val2014", "sentids": [7], "filename": "COCO_val2014_000000000042.jpg", "imgid": 3, "split": "val", "sentences": [], "cocoid": 42}],
                 "dataset": "coco"}""".formatted(s, s, s));
        assertEquals(CaptionFiles.Kind.KARPATHY, CaptionFiles.kind(k));
        Path root = CaptionFiles.defaultRoot(k);
        List<CaptionFiles.Image> train = CaptionFiles.karpathy(k, root, CaptionPairs.KARPATHY_TRAIN);
        assertEquals(List.of(root.resolve("train2017/000000522418.jpg"), root.resolve("val2017/000000184613.jpg")),
                train.stream().map(CaptionFiles.Image::image).toList());
        assertEquals("caption 0", train.getFirst().captions().getFirst());
        assertEquals(root.resolve("val2014/COCO_val2014_000000391895.jpg"), RetrievalSet.karpathy(k, root, "test").entries().getFirst().image());

        List<CaptionFiles.Image> val = CaptionFiles.karpathy(k, root, Set.of("val"));
        assertEquals("no caption in 'sentences'", val.getFirst().problem());
        DataException e = assertThrows(DataException.class, () -> RetrievalSet.karpathy(k, root, "val"));
        assertTrue(e.getMessage().contains("1 of 1 images cannot be evaluated") && e.getMessage().contains("record 3"), e.getMessage());
    }

    @Test
    void theOriginalIndexStaysSupportedAndOtherJsonIsNamed() throws Exception {
        Path idx = Files.writeString(dir.resolve("COCO_train2017.json"), "{\"image_base_path\": \"i\", \"caption_base_path\": \"c\", \"data\": []}");
        assertEquals(CaptionFiles.Kind.ORIGINAL_INDEX, CaptionFiles.kind(idx));
        assertInstanceOf(CocoCaptions.class, CaptionPairs.open(idx, null, true, TestVocab.tokenizer(), ImagePipeline.eval(8, 8), false, 12));
        Path other = Files.writeString(dir.resolve("x.json"), "{\"foo\": [1, 2]}");
        DataException e = assertThrows(DataException.class, () -> CaptionFiles.kind(other));
        assertTrue(e.getMessage().startsWith(other.toString()) && e.getMessage().contains("captions_*.json"), e.getMessage());
        Path list = Files.writeString(dir.resolve("y.json"), "[1]");
        assertThrows(DataException.class, () -> CaptionFiles.kind(list));
    }
}

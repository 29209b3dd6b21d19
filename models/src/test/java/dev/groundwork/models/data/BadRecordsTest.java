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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad record found before training, reported together, under either policy. */
class BadRecordsTest {
    @TempDir Path dir;

    /** A COCO index of 7 records: 3 good, and one of each kind of bad one. */
    Path index() throws Exception {
        Files.createDirectories(dir.resolve("img"));
        BufferedImage b = new BufferedImage(12, 10, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(b, "png", dir.resolve("img/a.png").toFile());
        Files.write(dir.resolve("img/garbage.jpg"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9});   // not an image at all
        Files.createDirectories(dir.resolve("cap"));
        Files.writeString(dir.resolve("cap/a.txt"), "a black square\n");
        Files.writeString(dir.resolve("cap/empty.txt"), "\n\n");
        return Files.writeString(dir.resolve("coco.json"), """
                {"image_base_path": "img", "caption_base_path": "cap", "data": [
                 {"image": "a.png", "caption": "a.txt"},
                 {"image": "missing.png", "caption": "a.txt"},
                 {"image": "a.png", "caption": "a.txt"},
                 {"image": "garbage.jpg", "caption": "a.txt"},
                 {"image": "a.png", "caption": "empty.txt"},
                 {"caption": "a.txt"},
                 {"image": "a.png", "caption": "a.txt"}]}""");
    }

    CocoCaptions coco() throws Exception {
        return new CocoCaptions(index(), TestVocab.tokenizer(), ImagePipeline.eval(10, 8), true);
    }

    @Test
    void failReportsEveryBadRecordAtOnceAndWritesTheList() throws Exception {
        Path list = dir.resolve("exp/bad-records-train.txt");
        var e = assertThrows(BadRecords.Found.class, () -> BadRecords.screen(coco(), dir.resolve("coco.json"), BadRecordPolicy.FAIL, list, l -> {}));
        assertEquals(List.of(1, 3, 4, 5), e.records().stream().map(DataException::index).toList());
        String m = e.getMessage();
        assertTrue(m.contains("4 of 7 records are bad"), m);
        assertTrue(m.contains("dataset index 1") && m.contains("missing.png") && m.contains("image file not found"), m);
        assertTrue(m.contains("dataset index 3") && m.contains("garbage.jpg") && m.contains("not a readable JPEG or PNG image"), m);
        assertTrue(m.contains("dataset index 4") && m.contains("no captions"), m);
        assertTrue(m.contains("dataset index 5") && m.contains("'image'"), m);
        assertEquals(4, Files.readAllLines(list).size());
    }

    @Test
    void skipTrainsOnTheGoodRecordsAndSaysWhich() throws Exception {
        List<String> said = new ArrayList<>();
        Dataset<CaptionItem> ds = BadRecords.screen(coco(), dir.resolve("coco.json"), BadRecordPolicy.SKIP, dir.resolve("bad.txt"), said::add);
        assertEquals(3, ds.size());
        for (int i = 0; i < 3; i++) assertEquals(8, ds.get(i, new Generator(i)).image().height());
        assertEquals(List.of(0, 2, 6), List.of(ds.get(0, new Generator(0)).index(), ds.get(1, new Generator(0)).index(), ds.get(2, new Generator(0)).index()));
        assertEquals(1, said.size());
        assertTrue(said.getFirst().startsWith("skipping 4 of 7 records") && said.getFirst().contains("bad.txt"), said.getFirst());
    }

    @Test
    void aCleanDatasetIsReturnedAsItIs() throws Exception {
        Files.createDirectories(dir.resolve("img"));
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("img/a.png").toFile());
        Files.createDirectories(dir.resolve("cap"));
        Files.writeString(dir.resolve("cap/a.txt"), "x\n");
        Path idx = Files.writeString(dir.resolve("ok.json"), "{\"image_base_path\": \"img\", \"caption_base_path\": \"cap\", \"data\": [{\"image\": \"a.png\", \"caption\": \"a.txt\"}]}");
        var ds = new CocoCaptions(idx, TestVocab.tokenizer(), ImagePipeline.eval(4, 4), true);
        assertSame(ds, BadRecords.screen(ds, idx, BadRecordPolicy.FAIL, dir.resolve("never.txt"), l -> {}));
        assertTrue(Files.notExists(dir.resolve("never.txt")));
    }
}

package dev.groundwork.models.search;

import dev.groundwork.engine.io.TensorFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static dev.groundwork.models.search.FakeColourEmbedder.solid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSearchTest {
    @TempDir Path tmp;
    Path folder;
    FakeColourEmbedder fake;

    @BeforeEach
    void images() throws IOException {
        folder = tmp.resolve("imgs");
        solid(folder.resolve("red.png"), 0xFF0000, 8, 6);
        solid(folder.resolve("sub/green.png"), 0x00FF00, 5, 5);
        solid(folder.resolve("sub/deeper/blue.png"), 0x0000FF, 7, 9);
        solid(folder.resolve("magenta.png"), 0xFF00FF, 6, 6);
        solid(folder.resolve("yellow.jpg"), 0xFFFF00, 6, 6);
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        fake = new FakeColourEmbedder();
    }

    ImageSearch search(String fingerprint) {
        return new ImageSearch(fake, FakeColourEmbedder.RESIZE, fingerprint, 2);
    }

    @Test
    void indexesRecursivelyInSortedOrderAndFindsImageQuery() throws IOException {
        ImageSearch s = search("m1");
        ImageIndex idx = s.index(folder);
        assertEquals(List.of("magenta.png", "red.png", "sub/deeper/blue.png", "sub/green.png", "yellow.jpg"),
                idx.paths().stream().map(p -> folder.relativize(p).toString().replace('\\', '/')).toList());
        Path query = solid(tmp.resolve("q/darkred.png"), 0xC81010, 10, 10);
        List<Hit> hits = s.byImage(idx, query, 3);
        assertEquals(3, hits.size());
        assertEquals(folder.resolve("red.png"), hits.get(0).path());
        assertTrue(hits.get(0).score() > hits.get(1).score() && hits.get(1).score() >= hits.get(2).score());
    }

    @Test
    void textAndBlendQueries() throws IOException {
        ImageSearch s = search("m1");
        ImageIndex idx = s.index(folder);
        assertEquals(folder.resolve("sub/deeper/blue.png"), s.byText(idx, "blue", 1).get(0).path());
        Path red = folder.resolve("red.png");
        assertEquals(red, s.byBlend(idx, red, "blue", 0.0, 1).get(0).path());
        assertEquals(folder.resolve("sub/deeper/blue.png"), s.byBlend(idx, red, "blue", 1.0, 1).get(0).path());
        // Halfway between red and blue is magenta, cosine 1.
        Hit mid = s.byBlend(idx, red, "blue", 0.5, 1).get(0);
        assertEquals(folder.resolve("magenta.png"), mid.path());
        assertEquals(1.0, mid.score(), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> s.byBlend(idx, red, "blue", 1.5, 1));
    }

    @Test
    void cacheIsReusedAndOnlyChangedFilesAreReembedded() throws IOException {
        ImageSearch s = search("m1");
        assertEquals(5, s.index(folder).embeddedCount());
        assertEquals(5, fake.imagesEmbedded);
        Path cache = folder.resolve(ImageSearch.DEFAULT_CACHE);
        assertTrue(Files.size(cache) > 0);
        assertEquals(5, TensorFiles.load(cache).get("embeddings").size(0));

        fake.imagesEmbedded = 0;
        ImageIndex again = s.index(folder);
        assertEquals(0, fake.imagesEmbedded);
        assertEquals(5, again.reusedCount());

        // Touch one file and add another: exactly those two are embedded.
        Path red = folder.resolve("red.png");
        Files.setLastModifiedTime(red, FileTime.fromMillis(Files.getLastModifiedTime(red).toMillis() + 60_000));
        solid(folder.resolve("sub/cyan.png"), 0x00FFFF, 4, 4);
        ImageIndex third = s.index(folder);
        assertEquals(2, fake.imagesEmbedded);
        assertEquals(6, third.size());
        assertEquals(4, third.reusedCount());
        assertEquals(folder.resolve("red.png"), s.byText(third, "red", 1).get(0).path());

        // A removed file simply drops out.
        fake.imagesEmbedded = 0;
        Files.delete(folder.resolve("yellow.jpg"));
        assertEquals(5, s.index(folder).size());
        assertEquals(0, fake.imagesEmbedded);
    }

    @Test
    void differentFingerprintInvalidatesCache() throws IOException {
        search("model-a").index(folder);
        fake.imagesEmbedded = 0;
        search("model-b").index(folder);
        assertEquals(5, fake.imagesEmbedded);
    }

    @Test
    void explicitCachePathAndDamagedCache() throws IOException {
        Path cache = tmp.resolve("elsewhere/cache.safetensors");
        search("m1").index(folder, cache);
        assertTrue(Files.exists(cache));
        assertTrue(Files.notExists(folder.resolve(ImageSearch.DEFAULT_CACHE)));
        Files.writeString(cache, "garbage");
        fake.imagesEmbedded = 0;
        search("m1").index(folder, cache);
        assertEquals(5, fake.imagesEmbedded);
    }

    /** One unreadable image is skipped, named with its reason; a folder of nothing readable is an error. */
    @Test
    void unreadableImagesAreSkippedAndNamed() throws IOException {
        Files.writeString(folder.resolve("broken.png"), "not a png");
        ImageIndex idx = search("m1").index(folder);
        assertEquals(5, idx.size());
        assertEquals(1, idx.skipped().size());
        assertTrue(idx.skipped().getFirst().contains("broken.png"), idx.skipped().toString());
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve("x.jpg"), "no");
        IOException e = assertThrows(IOException.class, () -> search("m1").index(bad));
        assertTrue(e.getMessage().contains("none of its 1 images could be read") && e.getMessage().contains("x.jpg"), e.getMessage());
        IOException empty = assertThrows(IOException.class, () -> search("m1").index(Files.createDirectories(tmp.resolve("empty"))));
        assertTrue(empty.getMessage().contains("no JPEG or PNG"), empty.getMessage());
    }
}

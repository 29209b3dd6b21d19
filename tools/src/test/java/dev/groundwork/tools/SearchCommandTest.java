package dev.groundwork.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchCommandTest {
    @TempDir Path tmp;

    Path setup() throws Exception {
        ColourFactory.png(tmp.resolve("imgs/red.png"), 0xFF0000);
        ColourFactory.png(tmp.resolve("imgs/a/blue.png"), 0x0000FF);
        ColourFactory.png(tmp.resolve("imgs/green.png"), 0x00FF00);
        return Files.writeString(tmp.resolve("model.safetensors"), "weights");
    }

    /** The default cache goes under gw.cache.dir (here the test's folder), never into the searched folder. */
    @org.junit.jupiter.api.BeforeEach
    void cacheInTmp() { System.setProperty("gw.cache.dir", tmp.resolve("cache").toString()); }

    @org.junit.jupiter.api.AfterEach
    void cacheBack() { System.clearProperty("gw.cache.dir"); }

    @Test
    void noCacheInThePhotoFolderEmptyQueriesRefusedBrokenImagesSkipped() throws Exception {
        Path model = setup();
        Files.writeString(tmp.resolve("imgs/broken.jpg"), "not a jpeg");
        CliRun r = CliRun.of(new SearchCommand(new ColourFactory()), "--model", model.toString(), "--folder", tmp.resolve("imgs").toString(),
                "--text", "blue", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: skipped ") && r.err().contains("broken.jpg"), r.err());
        assertTrue(r.err().startsWith("embed images 4/4"), "the embedding's progress (GW_PROGRESS lines: the last count): " + r.err());
        var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(3, j.get("images").asInt());
        assertEquals(1, j.get("skipped").asInt());
        assertTrue(j.get("hits").get(0).get("path").asText().endsWith("blue.png"), r.out());
        try (var files = Files.list(tmp.resolve("imgs"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".safetensors")), "a cache was written into the photo folder");
        }
        assertTrue(Files.isRegularFile(SearchCommand.defaultCache(tmp.resolve("imgs"))));
        CliRun empty = CliRun.of(new SearchCommand(new ColourFactory()), "--model", model.toString(), "--folder", tmp.resolve("imgs").toString(), "--text", " ");
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("--text is empty"), empty.err());
        CliRun none = CliRun.of(new SearchCommand(new ColourFactory()), "--model", model.toString(), "--folder", tmp.resolve("imgs").toString(),
                "--text", "red", "--no-cache");
        assertTrue(none.out().startsWith("3 images (3 embedded now, 0 from cache)"), none.out());
        CliRun quiet = CliRun.of(new SearchCommand(new ColourFactory()), "--model", model.toString(), "--folder", tmp.resolve("imgs").toString(),
                "--text", "red", "--no-cache", "-q");
        assertTrue(quiet.err().startsWith("warning: skipped ") && !quiet.err().contains("embed images"), "--quiet keeps the warnings only: " + quiet.err());
    }

    @Test
    void textQueryWithInjectedFactoryAndCacheReuse() throws Exception {
        Path model = setup();
        CliRun r = CliRun.of(new SearchCommand(new ColourFactory()), "--model", model.toString(), "--folder", tmp.resolve("imgs").toString(), "--text", "blue", "--top", "2");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("3 images (3 embedded now, 0 from cache)"), r.out());
        assertTrue(lines[1].contains("1.0000") && lines[1].endsWith("a/blue.png"), r.out());
        assertEquals(3, lines.length);
        CliRun again = CliRun.of(new SearchCommand(new ColourFactory()), "--model", model.toString(), "--folder", tmp.resolve("imgs").toString(),
                "--image", tmp.resolve("imgs/red.png").toString(), "--text", "green", "--alpha", "0.5", "--cache", tmp.resolve("c.safetensors").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("3 images (3 embedded now"), again.out());
        CliRun third = CliRun.of(new SearchCommand(new ColourFactory()), "--model", model.toString(), "--folder", tmp.resolve("imgs").toString(), "--text", "red");
        assertTrue(third.out().startsWith("3 images (0 embedded now, 3 from cache)"), third.out());
    }

    @Test
    void missingFolderFlagExits2() throws Exception {
        CliRun r = CliRun.of(new Gw(), "search", "--model", setup().toString(), "--text", "red");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--folder"), r.err());
    }

    @Test
    void folderThatDoesNotExistIsNamed() throws Exception {
        Path nope = tmp.resolve("nope");
        CliRun r = CliRun.of(new SearchCommand(new ColourFactory()), "--model", setup().toString(), "--folder", nope.toString(), "--text", "red");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--folder " + nope), r.err());
    }

    @Test
    void aFileThatIsNotATransferCheckpointIsRefusedByName() throws Exception {
        Path model = setup();
        CliRun r = CliRun.of(new Gw(), "search", "--model", model.toString(), "--folder", tmp.resolve("imgs").toString(), "--text", "red",
                "--vocab", TransferModelCommandsTest.vocab().toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(model.toString()), r.err());
        assertEquals("", r.out());
        assertTrue(Files.notExists(tmp.resolve("imgs/.gw-embeddings.safetensors")));
    }

    @Test
    void queryFlagsAreChecked() throws Exception {
        Path model = setup();
        assertEquals(2, CliRun.of(new SearchCommand(new ColourFactory()), "--model", model.toString(), "--folder", tmp.toString()).code());
        CliRun r = CliRun.of(new SearchCommand(new ColourFactory()), "--model", model.toString(), "--folder", tmp.toString(), "--text", "red", "--alpha", "0.3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--alpha"), r.err());
    }

    @Test
    void help() {
        CliRun r = CliRun.of(new Gw(), "search", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--alpha") && r.out().contains("--cache"), r.out());
    }
}

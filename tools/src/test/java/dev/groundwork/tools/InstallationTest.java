package dev.groundwork.tools;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The vocabulary gw.jar ships, for a clone without the shared folder: copied once to the cache, kept while unchanged. */
class InstallationTest {
    @TempDir Path tmp;

    @BeforeEach
    void cacheInTmp() { System.setProperty("gw.cache.dir", tmp.resolve("cache").toString()); }

    @AfterEach
    void cacheBack() { System.clearProperty("gw.cache.dir"); }

    @Test
    void theShippedVocabularyIsBertBaseUncased() throws Exception {
        Path v = Installation.shipped(VocabOption.FILE);
        assertEquals(tmp.resolve("cache").resolve("data").resolve(VocabOption.FILE), v);
        List<String> lines = Files.readAllLines(v);
        assertEquals(30522, lines.size());
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), List.of(lines.get(0), lines.get(100), lines.get(101), lines.get(102), lines.get(103)));
        assertEquals("zebra", lines.get(29145));
        var stamp = Files.getLastModifiedTime(v);
        Thread.sleep(20);
        assertEquals(v, Installation.shipped(VocabOption.FILE));
        assertEquals(stamp, Files.getLastModifiedTime(v), "an unchanged copy is not rewritten");
        Files.writeString(v, "[PAD]\n");
        assertEquals(30522, Files.readAllLines(Installation.shipped(VocabOption.FILE)).size(), "a damaged copy is replaced");
        assertNull(Installation.shipped("no-such-file.txt"));
    }
}

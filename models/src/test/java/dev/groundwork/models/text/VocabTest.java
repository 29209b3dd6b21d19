package dev.groundwork.models.text;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class VocabTest {
    private static final String SPECIALS = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";

    private static Vocab parse(String text) throws IOException {
        return Vocab.parse("toy.txt", text.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(byte[] bytes) {
        return assertThrows(IOException.class, () -> Vocab.parse("toy.txt", bytes)).getMessage();
    }

    private static String error(String text) {
        return error(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test void realVocabSpecialIdsAndUnusedTokens() {
        Vocab v = RealVocab.vocab();
        assertEquals(30522, v.size());
        // Verified against the file: [PAD] is line 1, [UNK]..[MASK] lines 101..104.
        assertEquals(0, v.padId());
        assertEquals(100, v.unkId());
        assertEquals(101, v.clsId());
        assertEquals(102, v.sepId());
        assertEquals(103, v.maskId());
        assertEquals("[unused0]", v.token(1));
        assertEquals("[unused98]", v.token(99));
        assertEquals("##～", v.token(30521));
        assertEquals(v.unkId(), v.idOrUnk("no-such-token-anywhere"));
    }

    @Test void idIsLineIndexAndTokensAreKeptExactly() throws IOException {
        Vocab v = parse(SPECIALS + " lead\ntrail \n##x\n[unused0]");
        assertEquals(9, v.size());  // no trailing newline: the last line still counts
        assertEquals(5, v.id(" lead").orElseThrow());
        assertEquals(6, v.id("trail ").orElseThrow());
        assertEquals(7, v.id("##x").orElseThrow());
        assertEquals(8, v.id("[unused0]").orElseThrow());
        assertTrue(v.id("lead").isEmpty());
        assertEquals(9, parse(SPECIALS + "a\nb\nc\nd\n").size()); // a final LF adds no token
    }

    @Test void specialsAreFoundByStringNotPosition() throws IOException {
        Vocab v = parse("a\n[MASK]\n[SEP]\n[CLS]\n[UNK]\n[PAD]\n");
        assertEquals(5, v.padId());
        assertEquals(4, v.unkId());
        assertEquals(3, v.clsId());
        assertEquals(2, v.sepId());
        assertEquals(1, v.maskId());
    }

    @Test void errorsNameFileAndLine() {
        assertEquals("toy.txt:7: empty line; every line must hold one token", error(SPECIALS + "a\n\nb\n"));
        assertEquals("toy.txt:6: carriage return; vocab.txt must use LF line endings", error(SPECIALS + "a\r\nb\n"));
        assertEquals("toy.txt:7: duplicate token 'a' (first on line 6)", error(SPECIALS + "a\na\n"));
        assertEquals("toy.txt: no line holds the special token [MASK]", error("[PAD]\n[UNK]\n[CLS]\n[SEP]\n"));
        assertEquals("toy.txt: empty vocabulary", error(""));
        assertTrue(error("\uFEFF" + SPECIALS).startsWith("toy.txt:1: starts with a byte-order mark"));
        byte[] prefix = (SPECIALS + "ok\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[prefix.length + 3];
        System.arraycopy(prefix, 0, bad, 0, prefix.length);
        bad[prefix.length] = 'x';
        bad[prefix.length + 1] = (byte) 0xC3; // a lone lead byte
        bad[prefix.length + 2] = '\n';
        assertEquals("toy.txt:7: not valid UTF-8", error(bad));
    }

    @Test void loadNamesThePath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path f = dir.resolve("vocab.txt");
        java.nio.file.Files.writeString(f, SPECIALS + "a\n\n");
        String msg = assertThrows(IOException.class, () -> Vocab.load(f)).getMessage();
        assertEquals(f + ":7: empty line; every line must hold one token", msg);
    }
}

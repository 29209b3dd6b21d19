package dev.groundwork.models.text;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Greedy longest-match-first on a toy vocabulary, so each rule is visible in isolation. */
class WordPieceTest {
    private static WordPiece toy(String... tokens) throws IOException {
        String text = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n" + String.join("\n", tokens) + "\n";
        return new WordPiece(Vocab.parse("toy", text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test void bertPapersExample() throws IOException {
        // The example from BERT's README, with its vocabulary of un, ##aff, ##able.
        WordPiece wp = toy("un", "##aff", "##able", "a");
        assertEquals(List.of("un", "##aff", "##able"), wp.split("unaffable"));
    }

    @Test void longestMatchWinsEvenIfItStrandsTheRest() throws IOException {
        // Greedy, no backtracking: "una" is taken, then "ffable" cannot be covered → the whole word is [UNK].
        WordPiece wp = toy("un", "una", "##aff", "##able");
        assertEquals(List.of("[UNK]"), wp.split("unaffable"));
    }

    @Test void uncoverableWordIsOneUnk() throws IOException {
        WordPiece wp = toy("ab", "##c");
        assertEquals(List.of("ab", "##c"), wp.split("abc"));
        assertEquals(List.of("[UNK]"), wp.split("abd"));
        assertEquals(List.of("[UNK]"), wp.split("c"));  // "c" exists only as a continuation
    }

    @Test void lengthLimitCountsCodePoints() throws IOException {
        WordPiece wp = toy("a", "##a", "😀", "##😀");
        assertEquals(100, wp.split("a".repeat(100)).size());
        assertEquals(List.of("[UNK]"), wp.split("a".repeat(101)));
        // 100 emoji are 200 UTF-16 chars but 100 characters to Python, so they are still split.
        assertEquals(100, wp.split("😀".repeat(100)).size());
        assertEquals(List.of("[UNK]"), wp.split("😀".repeat(101)));
    }
}

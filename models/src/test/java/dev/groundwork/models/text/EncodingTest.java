package dev.groundwork.models.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Fixed-length single and pair encodings, HuggingFace's truncation and padding. */
class EncodingTest {
    private static int id(String t) { return RealVocab.id(t); }

    @Test void padsToLength() {
        Encoding e = RealVocab.tokenizer().encode("Hello, World!", 8);
        assertArrayEquals(new int[] {101, id("hello"), id(","), id("world"), id("!"), 102, 0, 0}, e.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0}, e.typeIds());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 0, 0}, e.mask());
        assertEquals(6, e.length());
    }

    @Test void truncationKeepsSep() {
        Encoding e = RealVocab.tokenizer().encode("Hello, World!", 4);
        assertArrayEquals(new int[] {101, id("hello"), id(","), 102}, e.ids());
        assertArrayEquals(new int[] {1, 1, 1, 1}, e.mask());
        assertEquals(4, e.length());
        assertArrayEquals(new int[] {101, 102}, RealVocab.tokenizer().encode("Hello", 2).ids());
        assertThrows(IllegalArgumentException.class, () -> RealVocab.tokenizer().encode("x", 1));
    }

    @Test void pairLayoutAndTypes() {
        Encoding e = RealVocab.tokenizer().encodePair("a red circle", "blue", 10);
        assertArrayEquals(new int[] {101, id("a"), id("red"), id("circle"), 102, id("blue"), 102, 0, 0, 0}, e.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 0, 0, 0}, e.typeIds());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, e.mask());
        assertEquals(7, e.length());
    }

    @Test void pairTruncationIsLongestFirst() {
        BertTokenizer tok = RealVocab.tokenizer();
        String five = "one two three four five", two = "six seven";
        // Room for 4 of 5+2 tokens: the longer a loses 3 (5→4→3→2), b keeps both.
        Encoding e = tok.encodePair(five, two, 7);
        assertArrayEquals(new int[] {101, id("one"), id("two"), 102, id("six"), id("seven"), 102}, e.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1}, e.typeIds());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1}, e.mask());
        assertEquals(7, e.length());
        // Room for 3: a goes down to 2, then at the 2/2 tie HuggingFace trims b.
        assertArrayEquals(new int[] {101, id("one"), id("two"), 102, id("six"), 102}, tok.encodePair(five, two, 6).ids());
        // The longer side is trimmed whichever side it is.
        assertArrayEquals(new int[] {101, id("x"), 102, id("one"), id("two"), 102}, tok.encodePair("x", five, 6).ids());
        // Both empty still fits in 3; fewer slots cannot hold [CLS] [SEP] [SEP].
        assertArrayEquals(new int[] {101, 102, 102}, tok.encodePair("", "", 3).ids());
        assertThrows(IllegalArgumentException.class, () -> tok.encodePair("a", "b", 2));
    }
}

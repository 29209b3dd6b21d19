package dev.groundwork.models.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The VG-BERT caption convention of ../shared/spec/vg-bert.md §2.2. */
class VgBertTextTest {
    private static int id(String t) { return RealVocab.id(t); }

    @Test void shortCaptionIsPaddedWithTypeOneEverywhere() {
        VgBertText.Caption c = VgBertText.encodeCaption(RealVocab.tokenizer(), "A red circle.", 8);
        assertArrayEquals(new int[] {101, id("a"), id("red"), id("circle"), id("."), 102, 0, 0}, c.ids());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, c.types());  // padding too
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 0, 0}, c.mask());
        assertEquals(6, c.nwords());                                         // [CLS] and [SEP] count
    }

    @Test void truncationCutsSep() {
        VgBertText.Caption c = VgBertText.encodeCaption(RealVocab.tokenizer(), "a man riding a wave on top of a surfboard", 10);
        assertArrayEquals(new int[] {101, id("a"), id("man"), id("riding"), id("a"), id("wave"), id("on"), id("top"), id("of"), id("a")},
                c.ids());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, c.mask());
        assertEquals(10, c.nwords());                                        // capped at the slot count
    }

    @Test void exactFitKeepsSep() {
        VgBertText.Caption c = VgBertText.encodeCaption(RealVocab.tokenizer(), "red circle", 4);
        assertArrayEquals(new int[] {101, id("red"), id("circle"), 102}, c.ids());
        assertEquals(4, c.nwords());
    }

    @Test void thirtyTwoSlotCocoCaption() {
        VgBertText.Caption c = VgBertText.encodeCaption(RealVocab.tokenizer(), "Two dogs play in the snow", 32);
        assertEquals(32, c.ids().length);
        assertEquals(8, c.nwords());
        assertArrayEquals(RealVocab.tokenizer().encode("Two dogs play in the snow"), java.util.Arrays.copyOf(c.ids(), 8));
        for (int i = 8; i < 32; i++) {
            assertEquals(0, c.ids()[i]);
            assertEquals(0, c.mask()[i]);
            assertEquals(1, c.types()[i]);
        }
    }
}

package dev.groundwork.models.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * bert-base-uncased tokenisations, pinned. Expected pieces follow HuggingFace's rules; they were
 * cross-checked against an independent Python restatement of HuggingFace's BertTokenizer run on
 * the same vocab.txt (transformers itself is not installed here). Every id is read from the vocab
 * file, except the few noted as verified against it.
 */
class BertTokenizerTest {
    private static void check(String text, String... expected) {
        BertTokenizer tok = RealVocab.tokenizer();
        assertEquals(List.of(expected), tok.tokenize(text), () -> "tokenising " + text);
        int[] ids = new int[expected.length];
        for (int i = 0; i < expected.length; i++) ids[i] = RealVocab.id(expected[i]);
        assertArrayEquals(ids, tok.tokenIds(text), () -> "ids of " + text);
    }

    @Test void unaffableWithTheRealVocab() {
        // Not "un ##aff ##able" (that is BERT's README example with a toy vocab, see WordPieceTest):
        // the real vocab holds "una" and lacks "##aff", so greedy longest-match gives this.
        check("unaffable", "una", "##ffa", "##ble");
        assertArrayEquals(new int[] {14477, 20961, 3468}, RealVocab.tokenizer().tokenIds("unaffable")); // verified in file
    }

    @Test void punctuationAndCase() {
        check("Hello, World!", "hello", ",", "world", "!");
        assertArrayEquals(new int[] {7592, 1010, 2088, 999}, RealVocab.tokenizer().tokenIds("Hello, World!")); // verified in file
        check("don't", "don", "'", "t");
        check("12,345.6", "12", ",", "345", ".", "6");
        check("The quick brown fox jumps over the lazy dog.",
                "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".");
        check("a man riding a wave on top of a surfboard",
                "a", "man", "riding", "a", "wave", "on", "top", "of", "a", "surf", "##board");
    }

    @Test void accents() {
        check("Café naïve résumé", "cafe", "naive", "resume");
        check("héllo wörld élan", "hello", "world", "el", "##an");
    }

    @Test void chinesePerCharacter() {
        // 爱 (simplified) is not in the uncased vocab, which has only the traditional 愛.
        check("我爱北京", "我", "[UNK]", "北", "京");
        check("我愛北京", "我", "愛", "北", "京");
        check("\uD840\uDC00\uD840\uDC01", "[UNK]", "[UNK]"); // Extension B ideographs, each its own word
    }

    @Test void overlongWordIsUnk() {
        // 100 characters is the limit itself, so the word is still split: aaa, 48 × ##aa, ##a.
        String[] hundred = new String[50];
        hundred[0] = "aaa";
        java.util.Arrays.fill(hundred, 1, 49, "##aa");
        hundred[49] = "##a";
        check("a".repeat(100), hundred);
        check("a".repeat(101), "[UNK]");
        check("x " + "a".repeat(101) + " y", "x", "[UNK]", "y");
    }

    @Test void controlCharactersAndWhitespace() {
        check("a\u0000b\u0007c\td\ne\r\nf\u00A0g\uFFFDh\u200Bi", "abc", "d", "e", "f", "g", "##hi");
        check("red\tcircle\n\nblue\r\nsquare", "red", "circle", "blue", "square");
    }

    @Test void specialTokensKept() {
        check("[CLS] a red circle [SEP]", "[CLS]", "a", "red", "circle", "[SEP]");
        assertArrayEquals(new int[] {101, 1037, 2417, 4418, 102},
                RealVocab.tokenizer().tokenIds("[CLS] a red circle [SEP]")); // verified in file
        check("a[SEP]b[MASK]", "a", "[SEP]", "b", "[MASK]");   // cut out before the basic tokenizer
        check("[PAD][UNK]", "[PAD]", "[UNK]");
        // Lower-casing comes before cleaning, so this is no longer [CLS] when NUL is dropped.
        check("[CL\u0000S] x", "[", "cl", "##s", "]", "x");
        check("[cls] a [sep]", "[", "cl", "##s", "]", "a", "[", "sep", "]");
    }

    @Test void uncoverableAndEmoji() {
        check("I love 😀 pizza", "i", "love", "[UNK]", "pizza");
        check("ℌ①", "[UNK]");                                  // no piece covers ℌ
        check("ﬁve ½", "ﬁ", "##ve", "½");                      // NFD keeps compatibility characters
    }

    @Test void scriptsWithoutCjkSplitting() {
        check("日本語テキスト", "日", "本", "語", "テ", "##キ", "##ス", "##ト");
        check("ΟΔΟΣ Σ", "ο", "##δ", "##ο", "##σ", "σ");
    }

    @Test void encodeAddsClsAndSep() {
        BertTokenizer tok = RealVocab.tokenizer();
        assertArrayEquals(new int[] {101, RealVocab.id("hello"), RealVocab.id(","), RealVocab.id("world"), RealVocab.id("!"), 102},
                tok.encode("Hello, World!"));
        assertArrayEquals(new int[] {101, 102}, tok.encode(""));
        assertEquals(List.of(), tok.tokenize(""));
    }
}

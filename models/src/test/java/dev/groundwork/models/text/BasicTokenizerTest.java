package dev.groundwork.models.text;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Pre-WordPiece rules; needs no vocabulary. */
class BasicTokenizerTest {
    private final BasicTokenizer basic = new BasicTokenizer(Set.copyOf(BertTokenizer.SPECIALS));

    private void check(String text, String... expected) {
        assertEquals(List.of(expected), basic.tokenize(text), () -> "tokenising " + text);
    }

    @Test void punctuationSplitsAndCaseFolds() {
        check("Hello, World!", "hello", ",", "world", "!");
        check("don't", "don", "'", "t");
        check("12,345.6", "12", ",", "345", ".", "6");
        // BERT's ASCII rule: $ ^ ` ~ are symbols to Unicode but punctuation to BERT.
        check("$100 ^_^ `x` ~", "$", "100", "^", "_", "^", "`", "x", "`", "~");
        check("«quoted»—dash…", "«", "quoted", "»", "—", "dash", "…");
    }

    @Test void accentsAreStrippedAfterLowerCasing() {
        check("Café naïve résumé", "cafe", "naive", "resume");
        check("x\u0301y", "xy");                       // a lone combining mark disappears
        check("ÅNGSTRÖM", "angstrom");
        check("İstanbul", "istanbul");                 // İ lower-cases to i + U+0307, then the dot goes
    }

    @Test void lowerCasingIsPerCharacterSoNoFinalSigma() {
        check("ΟΔΟΣ", "οδοσ");
    }

    @Test void controlCharactersDroppedWhitespaceNormalised() {
        check("a\u0000b\u0007c\td\ne\r\nf\u00A0g\uFFFDh\u200Bi", "abc", "d", "e", "f", "ghi");
        check("\u000B\u000C\u001F\u0085 tab\tnew\nline ", "tab", "new", "line"); // Cc are dropped, not spaces
        check("\u3000ideographic\u2003em", "ideographic", "em");                 // Zs become spaces
        check("line\u2028para\u2029end", "line", "para", "end");                 // Python's split() splits on Zl/Zp
        check("   \t\n  ");
        check("");
    }

    @Test void cjkIdeographsStandAlone() {
        check("我爱北京", "我", "爱", "北", "京");
        check("ab中cd", "ab", "中", "cd");
        check("\uD840\uDC00\uD840\uDC01", "\uD840\uDC00", "\uD840\uDC01");  // Extension B, outside the BMP
        check("日本語テキスト", "日", "本", "語", "テキスト");                   // kana are not in BERT's CJK blocks
        check("한국어", "ᄒ" + "ᅡ" + "ᆫ" + "ᄀ" + "ᅮ" + "ᆨ" + "ᄋ" + "ᅥ");      // Hangul is NFD-decomposed into jamo
    }

    @Test void specialTokensAreNeverSplitOrLowerCased() {
        check("[CLS] a red circle [SEP]", "[CLS]", "a", "red", "circle", "[SEP]");
        check("[MASK] [PAD] [UNK]", "[MASK]", "[PAD]", "[UNK]");
        check("[cls]", "[", "cls", "]");               // only the exact spelling is special
    }
}

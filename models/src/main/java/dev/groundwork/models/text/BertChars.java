package dev.groundwork.models.text;

/**
 * BERT's own character classes. They differ from Java's {@link Character} helpers on purpose
 * (e.g. BERT counts '$', '^' and '`' as punctuation although Unicode files them as symbols), and
 * the tokenisation only matches the pretrained vocabulary if they are reproduced exactly.
 * All methods take code points, so supplementary characters (emoji, CJK Extension B) work.
 */
final class BertChars {
    private BertChars() {}

    /** Space, tab, LF, CR, or any Unicode space separator (Zs). */
    static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r'
                || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** Any Unicode "C*" category (Cc, Cf, Cn, Co, Cs) except tab, LF and CR, which count as whitespace. */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') return false;
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED,
                 Character.PRIVATE_USE, Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** Every ASCII non-alphanumeric printable (33-47, 58-64, 91-96, 123-126) plus Unicode "P*". */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126))
            return true;
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /**
     * The CJK Unified Ideograph blocks BERT lists. Hangul, kana and CJK punctuation are not in
     * them: those scripts are written with spaces and go through WordPiece like any word.
     */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /**
     * Python's {@code str.isspace}, which {@code str.split()} uses to separate words. After
     * cleaning only ' ' and the line/paragraph separators U+2028/U+2029 (Zl, Zp: neither
     * whitespace nor control to BERT) can still be present, but all of Python's set is kept
     * so the split stays right on uncleaned text.
     */
    static boolean isPythonSpace(int cp) {
        if ((cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85) return true;
        int t = Character.getType(cp);
        return t == Character.SPACE_SEPARATOR || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
    }
}

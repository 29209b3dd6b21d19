package dev.groundwork.models.text;

/**
 * What BERT's basic tokenizer does to text before WordPiece, as a Hugging Face tokenizer states it
 * ({@code tokenizer.json}'s BertNormalizer, or {@code tokenizer_config.json}'s do_lower_case /
 * strip_accents / tokenize_chinese_chars): clean control characters, put spaces around CJK ideographs,
 * lower-case, strip accents. Uncased models do all four; cased ones keep case and accents.
 *
 * @param cleanText    drop NUL, U+FFFD and control characters, turn whitespace into ' '
 * @param chineseChars surround each CJK ideograph with spaces
 * @param lowercase    lower-case every word (special tokens excepted)
 * @param stripAccents remove combining marks after NFD decomposition
 */
public record Normalization(boolean cleanText, boolean chineseChars, boolean lowercase, boolean stripAccents) {
    /** bert-base-uncased. */
    public static final Normalization UNCASED = new Normalization(true, true, true, true);
    /** bert-base-cased. */
    public static final Normalization CASED = new Normalization(true, true, false, false);

    /** Hugging Face's rule for an unset strip_accents (null): it follows lowercase. */
    public static Normalization of(boolean cleanText, boolean chineseChars, boolean lowercase, Boolean stripAccents) {
        return new Normalization(cleanText, chineseChars, lowercase, stripAccents == null ? lowercase : stripAccents);
    }

    @Override
    public String toString() {
        return (lowercase ? "lower-cased" : "cased") + (stripAccents ? ", accents stripped" : ", accents kept")
                + (chineseChars ? "" : ", CJK not split") + (cleanText ? "" : ", text not cleaned");
    }
}

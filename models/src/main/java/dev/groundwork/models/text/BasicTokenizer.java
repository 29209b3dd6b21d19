package dev.groundwork.models.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * BERT's pre-WordPiece step: clean, isolate CJK ideographs, split on whitespace, lower-case, strip
 * accents, split on punctuation, each step but the splits as the {@link Normalization} says (uncased
 * models do all of them; cased ones keep case and accents). The order matters and follows
 * HuggingFace's {@code BasicTokenizer}.
 *
 * <p>Tokens in {@code neverSplit} (the special tokens) pass through untouched: not lower-cased,
 * not accent-stripped, not split at their brackets.
 */
public final class BasicTokenizer {
    private final Set<String> neverSplit;
    private final Normalization norm;

    /** bert-base-uncased's normalisation. */
    public BasicTokenizer(Set<String> neverSplit) { this(neverSplit, Normalization.UNCASED); }

    public BasicTokenizer(Set<String> neverSplit, Normalization norm) {
        this.neverSplit = Set.copyOf(neverSplit);
        this.norm = norm;
    }

    public List<String> tokenize(String text) {
        String t = norm.cleanText() ? clean(text) : text;
        if (norm.chineseChars()) t = isolateCjk(t);
        // The slow HuggingFace tokenizer also NFC-normalises here; for a model that strips accents that cannot
        // change the result (every word is NFD-decomposed below). A cased model keeps its text as given, as
        // the fast tokenizer (tokenizer.json's BertNormalizer, what AutoTokenizer loads) does.
        List<String> out = new ArrayList<>();
        for (String word : splitOnSpace(t)) {
            if (neverSplit.contains(word)) {
                out.add(word);
                continue;
            }
            String w = norm.lowercase() ? lowerCase(word) : word;
            splitOnPunctuation(norm.stripAccents() ? stripAccents(w) : w, out);
        }
        return out;
    }

    /** Drops NUL, U+FFFD and control characters; turns every whitespace character into ' '. */
    static String clean(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || BertChars.isControl(cp)) return;
            if (BertChars.isWhitespace(cp)) sb.append(' ');
            else sb.appendCodePoint(cp);
        });
        return sb.toString();
    }

    /** Surrounds each CJK ideograph with spaces, so every ideograph becomes its own word. */
    static String isolateCjk(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (BertChars.isCjk(cp)) sb.append(' ').appendCodePoint(cp).append(' ');
            else sb.appendCodePoint(cp);
        });
        return sb.toString();
    }

    /** Python's {@code str.split()}: runs of whitespace separate words, no empty words. */
    static List<String> splitOnSpace(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (BertChars.isPythonSpace(cp)) {
                if (start >= 0) words.add(text.substring(start, i));
                start = -1;
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) words.add(text.substring(start));
        return words;
    }

    /**
     * Lower-cases one code point at a time, as current HuggingFace does (its pre-tokenisation pass
     * lower-cases character by character, and the fast tokenizer's normaliser does the same).
     * Whole-string lower-casing would differ: it applies the final-sigma rule, Σ → ς.
     */
    static String lowerCase(String word) {
        StringBuilder sb = new StringBuilder(word.length());
        word.codePoints().forEach(cp -> sb.append(Character.toString(cp).toLowerCase(Locale.ROOT)));
        return sb.toString();
    }

    /** Canonical decomposition, then drop non-spacing marks (Mn): "é" → "e" + U+0301 → "e". */
    static String stripAccents(String word) {
        String nfd = Normalizer.normalize(word, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(nfd.length());
        nfd.codePoints().forEach(cp -> {
            if (Character.getType(cp) != Character.NON_SPACING_MARK) sb.appendCodePoint(cp);
        });
        return sb.toString();
    }

    /** Every punctuation character becomes a token of its own; the runs between stay whole. */
    static void splitOnPunctuation(String word, List<String> out) {
        int start = 0;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (BertChars.isPunctuation(cp)) {
                if (i > start) out.add(word.substring(start, i));
                out.add(word.substring(i, next));
                start = next;
            }
            i = next;
        }
        if (start < word.length()) out.add(word.substring(start));
    }
}

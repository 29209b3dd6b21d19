package dev.groundwork.models.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * HuggingFace's {@code BertTokenizer}: special tokens, then {@link BasicTokenizer} with the model's
 * {@link Normalization} (bert-base-uncased's unless told otherwise), then {@link WordPiece}; plus the
 * single-sentence and sentence-pair encodings with truncation and [PAD] padding.
 * {@link TokenizerFiles} reads the vocabulary and normalisation of a Hugging Face model folder.
 */
public final class BertTokenizer {
    /** Never split, lower-cased or WordPiece'd. None is a prefix of another, so match order is irrelevant. */
    static final List<String> SPECIALS = List.of(Vocab.MASK, Vocab.CLS, Vocab.SEP, Vocab.PAD, Vocab.UNK);

    private final Vocab vocab;
    private final Normalization norm;
    private final BasicTokenizer basic;
    private final WordPiece wordPiece;

    /** bert-base-uncased's normalisation. */
    public BertTokenizer(Vocab vocab) { this(vocab, Normalization.UNCASED); }

    public BertTokenizer(Vocab vocab, Normalization norm) {
        this.vocab = vocab;
        this.norm = norm;
        this.basic = new BasicTokenizer(Set.copyOf(SPECIALS), norm);
        this.wordPiece = new WordPiece(vocab);
    }

    public static BertTokenizer load(Path vocabFile) throws IOException {
        return new BertTokenizer(Vocab.load(vocabFile));
    }

    public Vocab vocab() { return vocab; }

    public Normalization normalization() { return norm; }

    /** Word pieces and special tokens, no [CLS]/[SEP] added. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        // HuggingFace cuts the text at exact (case-sensitive) special-token strings before any
        // cleaning, so "a[SEP]b" keeps [SEP] whole while "[sep]" is ordinary text: "[", "sep", "]".
        int from = 0;
        while (from <= text.length()) {
            int at = -1;
            String special = null;
            for (String s : SPECIALS) {
                int i = text.indexOf(s, from);
                if (i >= 0 && (at < 0 || i < at)) { at = i; special = s; }
            }
            String segment = at < 0 ? text.substring(from) : text.substring(from, at);
            // HuggingFace lower-cases the text between specials before cleaning it (uncased models), so a
            // special spelled with a control character inside ("[CL\0S]") comes out as "[cls]": text.
            // That also means no word here can be a special, so every word goes to WordPiece.
            String part = norm.lowercase() ? BasicTokenizer.lowerCase(segment) : segment;
            for (String word : basic.tokenize(part)) wordPiece.split(word, out);
            if (at < 0) break;
            out.add(special);
            from = at + special.length();
        }
        return out;
    }

    /** Ids of {@code tokens}; unknown tokens map to [UNK]. */
    public int[] toIds(List<String> tokens) {
        return tokens.stream().mapToInt(vocab::idOrUnk).toArray();
    }

    /** Ids of {@link #tokenize}, without [CLS]/[SEP]. */
    public int[] tokenIds(String text) {
        return toIds(tokenize(text));
    }

    /** HuggingFace's {@code encode(text)}: [CLS] tokens [SEP], no truncation or padding. */
    public int[] encode(String text) {
        int[] body = tokenIds(text);
        int[] ids = new int[body.length + 2];
        ids[0] = vocab.clsId();
        System.arraycopy(body, 0, ids, 1, body.length);
        ids[ids.length - 1] = vocab.sepId();
        return ids;
    }

    /**
     * [CLS] tokens [SEP] in exactly {@code maxLength} slots, as HuggingFace's
     * {@code encode_plus(text, max_length, truncation=True, padding="max_length")}: the tokens are
     * cut so that [SEP] survives; type ids are 0; padding is [PAD] with mask 0.
     */
    public Encoding encode(String text, int maxLength) {
        if (maxLength < 2) throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for [CLS] and [SEP]");
        int[] body = tokenIds(text);
        int n = Math.min(body.length, maxLength - 2);
        Builder b = new Builder(maxLength);
        b.add(vocab.clsId(), 0);
        for (int i = 0; i < n; i++) b.add(body[i], 0);
        b.add(vocab.sepId(), 0);
        return b.build();
    }

    /**
     * [CLS] a [SEP] b [SEP] in exactly {@code maxLength} slots; type ids 0 up to and including the
     * first [SEP], 1 for b and its [SEP], 0 on padding. Truncation is HuggingFace's longest_first:
     * one token at a time from the end of the longer side, from b when they are equal.
     */
    public Encoding encodePair(String a, String b, int maxLength) {
        if (maxLength < 3) throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for [CLS] and two [SEP]");
        int[] ta = tokenIds(a), tb = tokenIds(b);
        int na = ta.length, nb = tb.length;
        while (na + nb > maxLength - 3) {
            if (na > nb) na--;
            else nb--;
        }
        Builder e = new Builder(maxLength);
        e.add(vocab.clsId(), 0);
        for (int i = 0; i < na; i++) e.add(ta[i], 0);
        e.add(vocab.sepId(), 0);
        for (int i = 0; i < nb; i++) e.add(tb[i], 1);
        e.add(vocab.sepId(), 1);
        return e.build();
    }

    /** Fills real tokens from slot 0; the rest stays [PAD] with type 0 and mask 0. */
    private final class Builder {
        final int[] ids, types, mask;
        int n;

        Builder(int slots) {
            ids = new int[slots];
            Arrays.fill(ids, vocab.padId());
            types = new int[slots];
            mask = new int[slots];
        }

        void add(int id, int type) {
            ids[n] = id;
            types[n] = type;
            mask[n] = 1;
            n++;
        }

        Encoding build() { return new Encoding(ids, types, mask, n); }
    }
}

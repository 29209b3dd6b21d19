package dev.groundwork.models.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy longest-match-first WordPiece over one basic token. The first piece is looked up as is;
 * later pieces carry the {@code ##} continuation prefix. If any position cannot be matched the
 * whole word becomes [UNK] (not just the unmatched tail), as in BERT.
 */
public final class WordPiece {
    /** BERT's max_input_chars_per_word: longer words are [UNK] without trying to split them. */
    public static final int MAX_CHARS_PER_WORD = 100;
    private static final String CONTINUATION = "##";

    private final Vocab vocab;

    public WordPiece(Vocab vocab) {
        this.vocab = vocab;
    }

    /** Appends the pieces of {@code word} (one basic token, no whitespace) to {@code out}. */
    public void split(String word, List<String> out) {
        // Code points, not chars: Python counts and slices characters, so an emoji is one unit.
        int[] cps = word.codePoints().toArray();
        if (cps.length > MAX_CHARS_PER_WORD) {
            out.add(Vocab.UNK);
            return;
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            String match = null;
            int end = cps.length;
            for (; end > start; end--) {
                String candidate = new String(cps, start, end - start);
                if (start > 0) candidate = CONTINUATION + candidate;
                if (vocab.contains(candidate)) {
                    match = candidate;
                    break;
                }
            }
            if (match == null) {
                out.add(Vocab.UNK);
                return;
            }
            pieces.add(match);
            start = end;
        }
        out.addAll(pieces);
    }

    public List<String> split(String word) {
        List<String> out = new ArrayList<>();
        split(word, out);
        return out;
    }
}

package dev.groundwork.models.interbert.data;

import dev.groundwork.engine.random.Generator;

import java.util.Arrays;

/**
 * Masked segment modeling on a caption's word-piece ids (spec 2.2), as coded in the original's
 * {@code random_word}. Both variants change {@code ids} in place and return the labels: the original id
 * at each selected position, -1 elsewhere. A selected position becomes [MASK] with probability 0.8, a
 * uniformly random vocabulary entry with 0.1 (any of them, [unused*] and special tokens included, as
 * coded: spec 8.4) and stays with 0.1.
 */
public final class TextMasking {
    private TextMasking() {}

    /**
     * One span (the README's {@code --span_mask}): nothing when ⌊0.3·n⌋ = 0 (n ≤ 3); otherwise start
     * s ~ U{0..n} and length ℓ ~ U{1..n}, positions s..min(s+ℓ−1, n−1), empty when s = n. Reproduced
     * literally, aggressive as it is (spec 8.4: mean ≈ 1/3 of the caption, sometimes all of it).
     */
    public static int[] span(int[] ids, int vocabSize, int maskId, Generator rng) {
        int n = ids.length;
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        if ((int) (n * 0.3) == 0) return labels;
        int start = rng.nextInt(n + 1), length = 1 + rng.nextInt(n);
        for (int i = start; i < Math.min(n, start + length); i++) replace(ids, labels, i, vocabSize, maskId, rng);
        return labels;
    }

    /** BERT's masking (without {@code --span_mask}): each position selected independently with probability 0.15. */
    public static int[] bert(int[] ids, int vocabSize, int maskId, Generator rng) {
        int[] labels = new int[ids.length];
        Arrays.fill(labels, -1);
        for (int i = 0; i < ids.length; i++) if (rng.nextDouble() < 0.15) replace(ids, labels, i, vocabSize, maskId, rng);
        return labels;
    }

    private static void replace(int[] ids, int[] labels, int i, int vocabSize, int maskId, Generator rng) {
        labels[i] = ids[i];
        double p = rng.nextDouble();
        if (p < 0.8) ids[i] = maskId;
        else if (p < 0.9) ids[i] = rng.nextInt(vocabSize);
    }
}

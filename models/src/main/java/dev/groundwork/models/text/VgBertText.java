package dev.groundwork.models.text;

import java.util.Arrays;

/**
 * VG-BERT's caption and object-phrase encoding (../shared/spec/vg-bert.md §2.2). It differs from
 * {@link BertTokenizer#encode(String, int)} in three ways the reference loaders rely on:
 * <ul>
 *   <li>The input is the literal text "[CLS] " + caption + " [SEP]", tokenised as a whole; the
 *       special tokens survive as themselves.</li>
 *   <li>Truncation simply keeps the first {@code slots} tokens, so a long caption loses its [SEP].</li>
 *   <li>Token-type ids are 1 in every slot, real or padding (segment B), as both loaders do.</li>
 * </ul>
 * Padding is [PAD] with mask 0, and nwords counts the real tokens, [CLS] and [SEP] included,
 * which is at most {@code slots}. Slots are T=32 for COCO captions and L=10 for VG object phrases.
 */
public final class VgBertText {
    private VgBertText() {}

    /** One encoded caption or phrase; every array is {@code slots} long. */
    public record Caption(int[] ids, int[] types, int[] mask, int nwords) {}

    public static Caption encodeCaption(BertTokenizer tokenizer, String text, int slots) {
        if (slots < 1) throw new IllegalArgumentException("slots must be positive, got " + slots);
        int[] all = tokenizer.toIds(tokenizer.tokenize(Vocab.CLS + " " + text + " " + Vocab.SEP));
        int nwords = Math.min(all.length, slots);
        int[] ids = new int[slots];
        Arrays.fill(ids, tokenizer.vocab().padId());
        System.arraycopy(all, 0, ids, 0, nwords);
        int[] types = new int[slots];
        Arrays.fill(types, 1);
        int[] mask = new int[slots];
        Arrays.fill(mask, 0, nwords, 1);
        return new Caption(ids, types, mask, nwords);
    }
}

package dev.groundwork.models.embed;

import java.util.Locale;

/** How one text's token states become what {@code gw embed} writes. */
public enum Pooling {
    /** The attention-masked mean over every real token, [CLS] and [SEP] included (sentence-transformers' mean pooling). */
    MEAN,
    /** The hidden state at [CLS] (not the pooler's tanh layer). */
    CLS,
    /** Every token's hidden state, with the ids and the attention mask. */
    NONE,
    /**
     * VG-BERT's {@code Bert_object} (spec §2.4): "[CLS] text [SEP]" tokenised as a whole in L slots
     * (the first L tokens kept, as its loader does), token type 1 (§9.11), and the masked sum over the
     * real tokens divided by L, not by their count (§9.10, reproduced because the stage-3 heads and the
     * paper's evaluation embeddings have that scale).
     */
    OBJECT;

    public static Pooling parse(String s) {
        for (Pooling p : values()) if (p.cliName().equals(s)) return p;
        throw new IllegalArgumentException("pooling must be mean, cls, none or object, got '" + s + "'");
    }

    public String cliName() { return name().toLowerCase(Locale.ROOT); }
}

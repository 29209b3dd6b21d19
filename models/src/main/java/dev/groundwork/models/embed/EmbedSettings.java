package dev.groundwork.models.embed;

import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.language.LanguageModel;

/**
 * What {@link TextEmbedder} does with each text. Unset values (null) take the model's defaults
 * ({@link #resolve}): the last layer; L slots for {@code object} (the model's phrase slots: 10 for the
 * paper, 8 for the demo), else up to the model's position limit (at most 512); token type 1 for
 * {@code object} (the Bert_object path), else the type the model was trained with.
 *
 * @param layer     HF's hidden_states index: 0 = embeddings, L = last; negative counts from the end (-1 = last)
 * @param maxLength tokens per text, [CLS] and [SEP] included
 * @param batchSize texts per forward pass
 */
public record EmbedSettings(Pooling pooling, Integer layer, Integer maxLength, int batchSize, Integer tokenType) {
    public EmbedSettings {
        if (pooling == null) throw new IllegalArgumentException("pooling must be given");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }

    /** The values this model gets, each checked against it (an error names the setting and the limit). */
    Resolved resolve(LanguageModel m) {
        BertConfig c = m.bert().config();
        int layers = c.numHiddenLayers();
        int l = layer == null ? layers : layer < 0 ? layers + 1 + layer : layer;
        if (l < 0 || l > layers)
            throw new IllegalArgumentException("layer " + layer + " does not exist: the model has layers 0 (embeddings) to " + layers
                    + " (or -1 to -" + (layers + 1) + " from the end)");
        int limit = Math.min(512, c.maxPositionEmbeddings());
        int max = maxLength != null ? maxLength : pooling == Pooling.OBJECT ? m.phraseSlots() : limit;
        if (max < 3 || max > c.maxPositionEmbeddings())
            throw new IllegalArgumentException("max length " + max + " must be between 3 ([CLS] word [SEP]) and the model's "
                    + c.maxPositionEmbeddings() + " positions");
        int type = tokenType != null ? tokenType : pooling == Pooling.OBJECT ? 1 : m.tokenType();
        if (type < 0 || type >= c.typeVocabSize())
            throw new IllegalArgumentException("token type " + type + " outside the model's 0.." + (c.typeVocabSize() - 1));
        return new Resolved(pooling, l, max, batchSize, type);
    }

    /** Settings with every default filled in for one model. */
    public record Resolved(Pooling pooling, int layer, int maxLength, int batchSize, int tokenType) {}
}

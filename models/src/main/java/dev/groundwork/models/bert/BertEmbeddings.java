package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.Embedding;
import dev.groundwork.engine.nn.LayerNorm;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

/**
 * word + position + token-type embeddings, then LayerNorm and dropout (HF BertEmbeddings).
 * The word table has HF's padding row (pad_token_id): it starts at zero and gets no gradient.
 */
public final class BertEmbeddings extends Module {
    private final int maxPositions;
    private final Embedding wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings;
    private final LayerNorm layerNorm;
    private final Dropout dropout;

    public BertEmbeddings(BertConfig c, Generator gen) { this(c, c.padTokenId(), gen); }

    /** @param paddingIdx the word table's padding row (zero at first, no gradient), or null for a table without one */
    public BertEmbeddings(BertConfig c, Integer paddingIdx, Generator gen) {
        this.maxPositions = c.maxPositionEmbeddings();
        this.wordEmbeddings = registerModule("word_embeddings", new Embedding(c.vocabSize(), c.hiddenSize(), paddingIdx, gen));
        this.positionEmbeddings = registerModule("position_embeddings", new Embedding(c.maxPositionEmbeddings(), c.hiddenSize(), gen));
        this.tokenTypeEmbeddings = registerModule("token_type_embeddings", new Embedding(c.typeVocabSize(), c.hiddenSize(), gen));
        this.layerNorm = registerModule("LayerNorm", new LayerNorm(c.hiddenSize(), c.layerNormEps(), true));
        this.dropout = registerModule("dropout", new Dropout(c.hiddenDropoutProb(), gen));
        // Recomputable, so not persistent (as in current transformers); old checkpoints that still carry
        // "embeddings.position_ids" are the checkpoint importer's business.
        registerBuffer("position_ids", Tensor.arange(maxPositions).to(DType.I64).reshape(1, maxPositions), false);
    }

    public Embedding wordEmbeddings() { return wordEmbeddings; }

    /**
     * @param inputIds     [B, T] integer ids
     * @param tokenTypeIds [B, T] or null for all zeros (segment A)
     * @return [B, T, H]
     */
    public Tensor forward(Tensor inputIds, Tensor tokenTypeIds) {
        if (inputIds.dim() != 2) throw new IllegalArgumentException("input_ids must be [B, T], got rank " + inputIds.dim());
        int b = inputIds.size(0), t = inputIds.size(1);
        if (t > maxPositions)
            throw new IllegalArgumentException("sequence length " + t + " exceeds max_position_embeddings " + maxPositions);
        if (tokenTypeIds == null) tokenTypeIds = Tensor.zeros(DType.I64, inputIds.device(), b, t);
        Tensor positions = buffer("position_ids").narrow(1, 0, t);
        Tensor e = wordEmbeddings.forward(inputIds)
                .add(tokenTypeEmbeddings.forward(tokenTypeIds))
                .add(positionEmbeddings.forward(positions));
        return dropout.forward(layerNorm.forward(e));
    }
}

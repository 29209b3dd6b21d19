package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * HF BertModel: {@code embeddings}, {@code encoder}, {@code pooler}, with its exact parameter names
 * ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight}, ...,
 * {@code pooler.dense.weight}), initialised as HF does from the given generator.
 */
public final class BertModel extends Module {
    /** last_hidden_state [B, T, H] and pooler_output [B, H]. */
    public record Output(Tensor lastHiddenState, Tensor pooledOutput) {}

    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final BertEncoder encoder;
    private final BertPooler pooler;

    public BertModel(BertConfig config, Generator gen) {
        this.config = config;
        this.embeddings = registerModule("embeddings", new BertEmbeddings(config, gen));
        this.encoder = registerModule("encoder", new BertEncoder(config, gen));
        this.pooler = registerModule("pooler", new BertPooler(config, gen));
        BertInit.apply(this, config.initializerRange(), gen);
    }

    public BertConfig config() { return config; }

    public BertEmbeddings embeddings() { return embeddings; }

    public BertEncoder encoder() { return encoder; }

    public BertPooler pooler() { return pooler; }

    /**
     * @param inputIds      [B, T] integer ids
     * @param tokenTypeIds  [B, T] or null (all 0)
     * @param attentionMask [B, T] with 1 for real tokens and 0 for padding, or null (attend everywhere)
     */
    public Output forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) {
        Tensor h = encoder.forward(embeddings.forward(inputIds, tokenTypeIds), attentionMask);
        return new Output(h, pooler.forward(h));
    }
}

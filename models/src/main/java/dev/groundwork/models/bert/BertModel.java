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

    public BertModel(BertConfig config, Generator gen) {
        this.config = config;
        registerModule("embeddings", new BertEmbeddings(config, gen));
        registerModule("encoder", new BertEncoder(config, gen));
        registerModule("pooler", new BertPooler(config, gen));
        BertInit.apply(this, config.initializerRange(), gen);
    }

    public BertConfig config() { return config; }

    public BertEmbeddings embeddings() { return (BertEmbeddings) submodule("embeddings"); }

    public BertEncoder encoder() { return (BertEncoder) submodule("encoder"); }

    /**
     * @param inputIds      [B, T] integer ids
     * @param tokenTypeIds  [B, T] or null (all 0)
     * @param attentionMask [B, T] with 1 for real tokens and 0 for padding, or null (attend everywhere)
     */
    public Output forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) {
        Tensor h = encoder().forward(embeddings().forward(inputIds, tokenTypeIds), attentionMask);
        return new Output(h, ((BertPooler) submodule("pooler")).forward(h));
    }
}

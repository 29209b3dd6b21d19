package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * HF BertModel: {@code embeddings}, {@code encoder}, {@code pooler}, with its exact parameter names
 * ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight}, ...,
 * {@code pooler.dense.weight}), initialised as HF does from the given generator. A model built without
 * a pooler (from a checkpoint that has none, as HF's {@code add_pooling_layer=False} saves) has no
 * {@code pooler.*} names and refuses to give a pooled output rather than inventing one.
 */
public final class BertModel extends Module {
    /** last_hidden_state [B, T, H] and pooler_output [B, H] (absent when the model has no pooler). */
    public record Output(Tensor lastHiddenState, Tensor pooledOutput) {
        /** The pooled [CLS] vector; an error, not random numbers, when the model was loaded without a pooler. */
        @Override
        public Tensor pooledOutput() {
            if (pooledOutput == null)
                throw new IllegalStateException("this BERT has no pooler (its checkpoint holds no pooler.dense), so it has no pooled output");
            return pooledOutput;
        }
    }

    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final BertEncoder encoder;
    private final BertPooler pooler;

    public BertModel(BertConfig config, Generator gen) { this(config, true, gen); }

    /** @param withPooler false for a checkpoint without {@code pooler.*}: the model then has none */
    public BertModel(BertConfig config, boolean withPooler, Generator gen) {
        this.config = config;
        this.embeddings = registerModule("embeddings", new BertEmbeddings(config, gen));
        this.encoder = registerModule("encoder", new BertEncoder(config, gen));
        this.pooler = withPooler ? registerModule("pooler", new BertPooler(config, gen)) : null;
        BertInit.apply(this, config.initializerRange(), gen);
    }

    public BertConfig config() { return config; }

    public BertEmbeddings embeddings() { return embeddings; }

    public BertEncoder encoder() { return encoder; }

    public boolean hasPooler() { return pooler != null; }

    public BertPooler pooler() {
        if (pooler == null) throw new IllegalStateException("this BERT was built without a pooler");
        return pooler;
    }

    /**
     * @param inputIds      [B, T] integer ids
     * @param tokenTypeIds  [B, T] or null (all 0)
     * @param attentionMask [B, T] with 1 for real tokens and 0 for padding, or null (attend everywhere)
     */
    public Output forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) {
        Tensor h = encoder.forward(embeddings.forward(inputIds, tokenTypeIds), attentionMask);
        return new Output(h, pooler == null ? null : pooler.forward(h));
    }

    /**
     * HF's {@code hidden_states[layer]}: 0 is the embeddings' output, {@code i} the output of layer i, the
     * last one {@link Output#lastHiddenState}. Only the layers below {@code layer} run.
     */
    public Tensor hiddenState(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask, int layer) {
        int layers = config.numHiddenLayers();
        if (layer < 0 || layer > layers)
            throw new IllegalArgumentException("layer " + layer + " outside 0.." + layers + " (0 = embeddings, " + layers + " = last)");
        return encoder.forward(embeddings.forward(inputIds, tokenTypeIds), attentionMask, layer);
    }
}

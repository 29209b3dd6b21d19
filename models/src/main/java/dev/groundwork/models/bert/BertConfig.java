package dev.groundwork.models.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The fields of a Hugging Face BERT {@code config.json} that shape the network. Absent fields take
 * transformers' BertConfig defaults (bert-base sizes, dropout 0.1, initializer range 0.02, eps 1e-12,
 * pad token 0), so a partial config such as a golden case's reads the same as it does in Python.
 */
public record BertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                         int intermediateSize, String hiddenAct, double hiddenDropoutProb,
                         double attentionProbsDropoutProb, int maxPositionEmbeddings, int typeVocabSize,
                         double initializerRange, double layerNormEps, int padTokenId) {

    public BertConfig {
        if (vocabSize <= 0 || hiddenSize <= 0 || numHiddenLayers < 0 || numAttentionHeads <= 0 || intermediateSize <= 0
                || maxPositionEmbeddings <= 0 || typeVocabSize <= 0)
            throw new IllegalArgumentException("BertConfig needs positive sizes: " + this);
        if (hiddenSize % numAttentionHeads != 0)
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
        // Only exact (erf) GELU is implemented; "gelu_new"/"relu"/... would silently change the numbers.
        if (!"gelu".equals(hiddenAct))
            throw new IllegalArgumentException("hidden_act '" + hiddenAct + "' is not supported: only \"gelu\" (exact erf GELU) is implemented");
        checkProb("hidden_dropout_prob", hiddenDropoutProb);
        checkProb("attention_probs_dropout_prob", attentionProbsDropoutProb);
        if (padTokenId < 0 || padTokenId >= vocabSize)
            throw new IllegalArgumentException("pad_token_id " + padTokenId + " outside the vocabulary of " + vocabSize);
    }

    /** bert-base-uncased (spec 2.1): 12 x 768, 12 heads, FFN 3072, vocab 30522, 512 positions. */
    public static BertConfig base() {
        return new BertConfig(30522, 768, 12, 12, 3072, "gelu", 0.1, 0.1, 512, 2, 0.02, 1e-12, 0);
    }

    /** VG-BERT builds its BERT with both dropout rates set to the stream's rate (spec 2.1). */
    public BertConfig withDropout(double p) {
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, hiddenAct, p, p,
                maxPositionEmbeddings, typeVocabSize, initializerRange, layerNormEps, padTokenId);
    }

    public BertConfig withLayers(int layers) {
        return new BertConfig(vocabSize, hiddenSize, layers, numAttentionHeads, intermediateSize, hiddenAct, hiddenDropoutProb,
                attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize, initializerRange, layerNormEps, padTokenId);
    }

    public int headDim() { return hiddenSize / numAttentionHeads; }

    public static BertConfig fromJson(Path file) {
        try {
            return fromJson(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read BERT config " + file, e);
        }
    }

    public static BertConfig fromJson(JsonNode n) {
        BertConfig d = base();
        return new BertConfig(
                n.path("vocab_size").asInt(d.vocabSize),
                n.path("hidden_size").asInt(d.hiddenSize),
                n.path("num_hidden_layers").asInt(d.numHiddenLayers),
                n.path("num_attention_heads").asInt(d.numAttentionHeads),
                n.path("intermediate_size").asInt(d.intermediateSize),
                n.path("hidden_act").asText(d.hiddenAct),
                n.path("hidden_dropout_prob").asDouble(d.hiddenDropoutProb),
                n.path("attention_probs_dropout_prob").asDouble(d.attentionProbsDropoutProb),
                n.path("max_position_embeddings").asInt(d.maxPositionEmbeddings),
                n.path("type_vocab_size").asInt(d.typeVocabSize),
                n.path("initializer_range").asDouble(d.initializerRange),
                n.path("layer_norm_eps").asDouble(d.layerNormEps),
                n.path("pad_token_id").asInt(d.padTokenId));
    }

    private static void checkProb(String name, double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException(name + " must be in [0, 1), got " + p);
    }
}

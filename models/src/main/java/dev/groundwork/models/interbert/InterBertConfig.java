package dev.groundwork.models.interbert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.models.bert.BertConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The fields of the original {@code config/bert_base_6layer_interbert.json} that shape the network
 * (spec 1.7). The original builds a default {@code BertConfig} and overwrites it with the JSON keys,
 * so {@link #fromJson} gives absent keys the constructor's defaults: notably {@code bi_hidden_size}
 * 1024, {@code fusion_method} "mul", {@code v_num_hidden_layers} 3, {@code v_num_attention_heads} 12
 * and {@code v_hidden_dropout_prob} 0.1 (the shipped JSON sets 6, 8 and 0.2). Keys the model never
 * reads ({@code pooling_method}, {@code conv_layer}, {@code max_region_length}, {@code v_initializer_range},
 * the co-attention fields, ...) are ignored, as they are by the original (spec 8.10).
 *
 * @param numHiddenLayers  single-stream layers over [image ; text] ({@code encoder.layer.0..n-1})
 * @param tNumHiddenLayers text-only layers after the split ({@code encoder.layer.n..n+t-1})
 * @param vTargetSize      region-head outputs: detector classes (1601), or the feature size with predictFeature
 * @param biHiddenSize     P, the poolers' width: fusion, ITM and VL heads read it
 * @param predictFeature   region loss: false = KL to the detector distribution, true = squared error to the feature
 */
public record InterBertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int tNumHiddenLayers,
                              int numAttentionHeads, int intermediateSize, String hiddenAct, double hiddenDropoutProb,
                              double attentionProbsDropoutProb, int maxPositionEmbeddings, int typeVocabSize,
                              double initializerRange, int vFeatureSize, int vTargetSize, int vHiddenSize,
                              int vNumHiddenLayers, int vNumAttentionHeads, int vIntermediateSize, String vHiddenAct,
                              double vHiddenDropoutProb, double vAttentionProbsDropoutProb, int biHiddenSize,
                              Fusion fusionMethod, boolean predictFeature) {

    /** Every LayerNorm of the original is BertLayerNorm(eps = 1e-12); the JSON has no field for it. */
    public static final double LAYER_NORM_EPS = 1e-12;

    public InterBertConfig {
        // Concatenating image and text tokens into one sequence needs one width (spec 8.10).
        if (vHiddenSize != hiddenSize)
            throw new IllegalArgumentException("v_hidden_size " + vHiddenSize + " must equal hidden_size " + hiddenSize
                    + ": the single-stream layers run over [image ; text] tokens of one width");
        checkAct("hidden_act", hiddenAct);
        checkAct("v_hidden_act", vHiddenAct);
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_attention_heads", numAttentionHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        positive("type_vocab_size", typeVocabSize);
        positive("v_feature_size", vFeatureSize);
        positive("v_target_size", vTargetSize);
        positive("v_num_attention_heads", vNumAttentionHeads);
        positive("v_intermediate_size", vIntermediateSize);
        positive("bi_hidden_size", biHiddenSize);
        nonNegative("num_hidden_layers", numHiddenLayers);
        nonNegative("t_num_hidden_layers", tNumHiddenLayers);
        nonNegative("v_num_hidden_layers", vNumHiddenLayers);
        if (hiddenSize % numAttentionHeads != 0)
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
        if (vHiddenSize % vNumAttentionHeads != 0)
            throw new IllegalArgumentException("v_hidden_size " + vHiddenSize + " is not a multiple of v_num_attention_heads " + vNumAttentionHeads);
        probability("hidden_dropout_prob", hiddenDropoutProb);
        probability("attention_probs_dropout_prob", attentionProbsDropoutProb);
        probability("v_hidden_dropout_prob", vHiddenDropoutProb);
        probability("v_attention_probs_dropout_prob", vAttentionProbsDropoutProb);
        if (!(initializerRange > 0)) throw new IllegalArgumentException("initializer_range must be positive, got " + initializerRange);
        if (fusionMethod == null) throw new IllegalArgumentException("fusion_method is null");
        // The original's --predict_feature sets v_target_size to the feature size; anything else cannot compare.
        if (predictFeature && vTargetSize != vFeatureSize)
            throw new IllegalArgumentException("predict_feature regresses the region feature, so v_target_size " + vTargetSize
                    + " must equal v_feature_size " + vFeatureSize);
    }

    /** The shipped {@code bert_base_6layer_interbert.json} with the constructor defaults it leaves out (spec 1.7). */
    public static InterBertConfig original() {
        return new InterBertConfig(30522, 768, 6, 6, 12, 3072, "gelu", 0.1, 0.1, 512, 2, 0.02,
                2048, 1601, 768, 6, 8, 3072, "gelu", 0.2, 0.1, 1024, Fusion.MUL, false);
    }

    public static InterBertConfig fromJson(Path file) {
        try {
            return fromJson(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read InterBERT config " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Absent keys take the original BertConfig constructor's defaults (not the shipped JSON's values). */
    public static InterBertConfig fromJson(JsonNode json) {
        ConfigFields f = new ConfigFields(json);
        return new InterBertConfig(
                // The original's default is -1 (an unusable table) and t_num_hidden_layers has no default at all.
                f.requiredInt("vocab_size", "the original BertConfig has no usable default"),
                f.integer("hidden_size", 768),
                f.integer("num_hidden_layers", 12),
                f.requiredInt("t_num_hidden_layers", "the original BertConfig has no default for it"),
                f.integer("num_attention_heads", 12),
                f.integer("intermediate_size", 3072),
                f.text("hidden_act", "gelu"),
                f.number("hidden_dropout_prob", 0.1),
                f.number("attention_probs_dropout_prob", 0.1),
                f.integer("max_position_embeddings", 512),
                f.integer("type_vocab_size", 2),
                f.number("initializer_range", 0.02),
                f.integer("v_feature_size", 2048),
                f.integer("v_target_size", 1601),
                f.integer("v_hidden_size", 768),
                f.integer("v_num_hidden_layers", 3),
                f.integer("v_num_attention_heads", 12),
                f.integer("v_intermediate_size", 3072),
                f.text("v_hidden_act", "gelu"),
                f.number("v_hidden_dropout_prob", 0.1),
                f.number("v_attention_probs_dropout_prob", 0.1),
                f.integer("bi_hidden_size", 1024),
                Fusion.fromJson(f.text("fusion_method", "mul")),
                f.bool("predict_feature", false));
    }

    /**
     * The single-stream and text-only layers, the text embeddings and the MLM head: the text
     * hyper-parameters apply to every token of the single-stream layers, image tokens included (spec 1.2).
     */
    public BertConfig textConfig() {
        return layerConfig(hiddenSize, numHiddenLayers + tNumHiddenLayers, numAttentionHeads, intermediateSize, hiddenAct,
                hiddenDropoutProb, attentionProbsDropoutProb);
    }

    /** The image-only layers (8 heads x 96 and hidden dropout 0.2 in the shipped config) and the region head. */
    public BertConfig imageConfig() {
        return layerConfig(vHiddenSize, vNumHiddenLayers, vNumAttentionHeads, vIntermediateSize, vHiddenAct,
                vHiddenDropoutProb, vAttentionProbsDropoutProb);
    }

    /** A BERT layer stack's config; the embedding-table fields are the text's (only the text stack has tables). */
    private BertConfig layerConfig(int hidden, int layers, int heads, int intermediate, String act, double hiddenDropout,
                                   double attentionDropout) {
        return new BertConfig(vocabSize, hidden, layers, heads, intermediate, act, hiddenDropout, attentionDropout,
                maxPositionEmbeddings, typeVocabSize, initializerRange, LAYER_NORM_EPS, 0);
    }

    private static void checkAct(String field, String act) {
        if ("gelu".equals(act)) return;
        // The original's ACT2FN also has "relu" and "swish"; only exact-erf GELU is implemented here, and the
        // shipped config uses nothing else, so those are refused rather than silently run as GELU.
        if ("relu".equals(act) || "swish".equals(act))
            throw new IllegalArgumentException(field + " \"" + act + "\" is not implemented: only \"gelu\" (exact erf GELU) is");
        throw new IllegalArgumentException(field + " \"" + act + "\" is unknown: only \"gelu\" (exact erf GELU) is supported");
    }

    private static void positive(String field, int v) {
        if (v <= 0) throw new IllegalArgumentException(field + " must be positive, got " + v);
    }

    private static void nonNegative(String field, int v) {
        if (v < 0) throw new IllegalArgumentException(field + " must not be negative, got " + v);
    }

    private static void probability(String field, double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException(field + " must be in [0, 1), got " + p);
    }
}

package dev.groundwork.models.interbert.recipe;

import dev.groundwork.models.interbert.Fusion;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.train.InvalidSettingException;

import java.nio.file.Path;

/**
 * The network a run builds: {@link #BASE}, the shipped {@code bert_base_6layer_interbert.json} with the
 * constructor defaults (spec 1.7), or {@link #DEMO}, a small InterBERT for the demo and tests (width 64,
 * 2 single-stream + 1 text-only + 1 image-only layer, 4 heads, pooled width 64). A {@code config.json}
 * given instead overrides both. The vocabulary, feature size and detector classes come from the data
 * and the vocab file, and must agree with a given config: a mismatch is an error before the first step.
 */
public enum ModelSize {
    BASE("base"), DEMO("demo");

    private final String id;

    ModelSize(String id) { this.id = id; }

    /** The demo size's initializer_range: 1/sqrt(hidden 64). */
    public static final double DEMO_INIT = 0.125;

    public String id() { return id; }

    public static ModelSize parse(String s) {
        for (ModelSize m : values()) if (m.id.equals(s)) return m;
        throw new IllegalArgumentException("expected base or demo, got '" + s + "'");
    }

    /**
     * The config of this size for the vocabulary, the data's feature size and class count; {@code configJson}
     * (the original's config file) replaces the size's, and then must agree with all three.
     */
    public InterBertConfig config(Path configJson, int vocabSize, int featureSize, int classes, boolean predictFeature) {
        int target = predictFeature ? featureSize : classes;
        if (configJson != null) {
            InterBertConfig c;
            try {
                c = InterBertConfig.fromJson(configJson);
            } catch (RuntimeException e) {
                throw new InvalidSettingException("config", "is not a usable InterBERT config: " + e.getMessage());
            }
            InvalidSettingException.check(c.vocabSize() == vocabSize, "vocab",
                    "has " + vocabSize + " tokens but " + configJson + " says vocab_size " + c.vocabSize() + ": a mismatched vocabulary");
            InvalidSettingException.check(c.vFeatureSize() == featureSize, "config",
                    configJson + " says v_feature_size " + c.vFeatureSize() + " but the data's features have " + featureSize);
            return with(c, target, predictFeature);
        }
        InterBertConfig o = InterBertConfig.original();
        if (this == BASE) {
            InvalidSettingException.check(vocabSize == o.vocabSize(), "vocab",
                    "has " + vocabSize + " tokens, the base model " + o.vocabSize() + " (bert-base-uncased): a mismatched vocabulary");
            InvalidSettingException.check(featureSize == o.vFeatureSize(), "data",
                    "holds " + featureSize + "-d region features, the base model reads " + o.vFeatureSize() + " (use --model-size demo or a config.json for other sizes)");
            return with(o, target, predictFeature);
        }
        // Demo-size choices (README "Demo"): N(0, 1/sqrt(64)) instead of N(0, 0.02) and no dropout. At width 64
        // and std 0.02 the ITM signal (through ReLU poolers and their product) is far weaker than the noise of
        // fresh random pairs, and the ITM gradient then switches the poolers off (all 64 fused units dead
        // within ~100 Adam steps) before any matching is learnt; at std 1/sqrt(64) the units survive and the
        // ITM loss leaves ln 2 after a few hundred steps.
        return new InterBertConfig(vocabSize, 64, 2, 1, 4, 128, "gelu", 0.0, 0.0, 512, 2, DEMO_INIT,
                featureSize, target, 64, 1, 4, 128, "gelu", 0.0, 0.0, 64, Fusion.MUL, predictFeature);
    }

    private static InterBertConfig with(InterBertConfig c, int target, boolean predictFeature) {
        return new InterBertConfig(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), c.tNumHiddenLayers(), c.numAttentionHeads(),
                c.intermediateSize(), c.hiddenAct(), c.hiddenDropoutProb(), c.attentionProbsDropoutProb(), c.maxPositionEmbeddings(),
                c.typeVocabSize(), c.initializerRange(), c.vFeatureSize(), target, c.vHiddenSize(), c.vNumHiddenLayers(),
                c.vNumAttentionHeads(), c.vIntermediateSize(), c.vHiddenAct(), c.vHiddenDropoutProb(), c.vAttentionProbsDropoutProb(),
                c.biHiddenSize(), c.fusionMethod(), predictFeature);
    }
}

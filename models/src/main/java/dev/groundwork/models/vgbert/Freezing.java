package dev.groundwork.models.vgbert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.train.InvalidSettingException;

import java.util.regex.Pattern;

/**
 * The requires-grad recipe of §2.5. Modules are NOT switched to eval mode: frozen BERT layers and the
 * frozen visual attention keep applying dropout during training, as in the original (§9.16).
 */
public final class Freezing {
    /** Top-level names of the two streams inside every VG-BERT model (§6.3). */
    public static final String VISUAL = "image_model", BERT = "language_model.language_model";

    private Freezing() {}

    /** §2.5.1: the VGG convs stay frozen; the embedder and the spatial attention (with its position table) train. */
    public static void visualStream(Module model) {
        model.freeze(VISUAL);
        model.unfreeze(VISUAL + ".embedder");
        model.unfreeze(VISUAL + ".attention");
    }

    /**
     * §2.5.2-3: all of BERT frozen (embeddings, pooler included), then the top {@code learnable}
     * encoder layers unfrozen, then, with freezeQK (on by default and never turned off by the README,
     * §9.17), the self-attention query and key of every layer frozen again.
     */
    public static void bert(Module model, int layers, int learnable, boolean freezeQK) {
        checkLearnable(layers, learnable);
        model.freeze(BERT);
        for (int l = layers - learnable; l < layers; l++) model.unfreeze(BERT + ".encoder.layer." + l);
        if (freezeQK)
            model.freeze("re:" + Pattern.quote(BERT) + "\\.encoder\\.layer\\.\\d+\\.attention\\.self\\.(query|key)\\..*");
    }

    /**
     * A deliberate deviation from §2.5 for runs without pretrained weights (--train-backbone; the
     * demo has no stage 1 and no pretrained BERT at its size): what §2.5 keeps frozen because it comes
     * pretrained trains too, namely the VGG convs, BERT's embeddings and the query/key of the learnable
     * layers. BERT layers below the learnable ones stay frozen.
     */
    public static void unfreezePretrained(Module model, int layers, int learnable) {
        checkLearnable(layers, learnable);
        model.unfreeze(VISUAL + ".image_model");
        model.unfreeze(BERT + ".embeddings");
        for (int l = layers - learnable; l < layers; l++) model.unfreeze(BERT + ".encoder.layer." + l);
    }

    /** The learnable layers (the original's --base-model-learnable-layers) must lie in [0, layers]. */
    public static void checkLearnable(int layers, int learnable) {
        InvalidSettingException.check(learnable >= 0 && learnable <= layers, "learnableLayers",
                "must be between 0 and " + layers + " (the BERT layer count), got " + learnable);
    }

    /**
     * Trainable BERT parameters under {@link #bert}, computed from the config without building the model:
     * per unfrozen layer, value + attention-output dense + LayerNorm + intermediate + output dense +
     * LayerNorm (plus query and key when freezeQK is off). bert-base: 5,906,688 per layer, so
     * 47.25 M for N = 8 (stage 2) and 11.81 M for N = 2 (stage 3), the spec's 47.3 M / 11.8 M.
     */
    public static long bertTrainable(BertConfig c, int learnable, boolean freezeQK) {
        long h = c.hiddenSize(), f = c.intermediateSize();
        long linear = h * h + h, layerNorm = 2 * h;
        long perLayer = linear + linear + layerNorm + (h * f + f) + (f * h + h) + layerNorm;
        if (!freezeQK) perLayer += 2 * linear;
        return perLayer * learnable;
    }
}

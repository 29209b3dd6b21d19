package dev.groundwork.models.vision;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Sizes of the VG-BERT visual stream (spec 1.1-1.4).
 *
 * @param cfg             VGG layer list as torchvision writes it (its last "M" is dropped by the model)
 * @param featureMapSize  number of grid cells R the learned position table covers (196 = 14x14 at 224 px;
 *                        the golden case's 16 is a 4x4 grid from 64x64 images), not the side length
 * @param dropout         residual-branch dropout of the attention layer (0.1 in stage 1, --dropout-rate later)
 */
public record VisualConfig(List<Object> cfg, int embeddingDim, int numHeads, int intermediateSize,
                           int featureMapSize, double layerNormEps, double dropout) {

    public VisualConfig {
        cfg = List.copyOf(cfg);
        if (embeddingDim <= 0 || numHeads <= 0 || embeddingDim % numHeads != 0)
            throw new IllegalArgumentException("embedding_dim " + embeddingDim + " must be a positive multiple of num_heads " + numHeads);
        if (intermediateSize <= 0 || featureMapSize <= 0) throw new IllegalArgumentException("bad visual sizes: " + intermediateSize + ", " + featureMapSize);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }

    /** The fixed sizes of the original code: VGG16 D, 768-d, 12 heads, FFN 3072, 196 cells, eps 1e-5. */
    public static VisualConfig vgBert(double dropout) {
        return new VisualConfig(VggFeatures.CFG_D, 768, 12, 3072, 196, 1e-5, dropout);
    }

    /**
     * A golden-case style config ("cfg", "embedding_dim", ...). Only the {@code learn} position mode is
     * supported (spec 9.1/9.23: absolute_learn is the same table; predefine/relative_learn are not ported).
     */
    public static VisualConfig fromJson(JsonNode n, double dropout) {
        String pos = n.path("use_position").asText("learn");
        if (!pos.equals("learn") && !pos.equals("absolute_learn"))
            throw new IllegalArgumentException("use_position '" + pos + "' is not supported; only 'learn' (= 'absolute_learn')");
        VisualConfig d = vgBert(dropout);
        return new VisualConfig(n.has("cfg") ? VggFeatures.parse(n.get("cfg")) : d.cfg,
                n.path("embedding_dim").asInt(d.embeddingDim), n.path("num_heads").asInt(d.numHeads),
                n.path("intermediate_size").asInt(d.intermediateSize), n.path("feature_map_size").asInt(d.featureMapSize),
                n.path("layer_norm_eps").asDouble(d.layerNormEps), dropout);
    }

    /** Channels leaving the backbone (512 for D). */
    public int backboneChannels() { return VggFeatures.outChannels(cfg); }
}

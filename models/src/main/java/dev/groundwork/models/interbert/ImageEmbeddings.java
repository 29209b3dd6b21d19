package dev.groundwork.models.interbert;

import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.LayerNorm;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * {@code bert.v_embeddings} (spec 1.4): E_v = Dropout(LN(W_f f + b_f + W_l loc + b_l)). Image tokens
 * get no position or type embedding; the global token (row 0) is prepared by the data pipeline.
 */
public final class ImageEmbeddings extends Module {
    /** [x1/W, y1/H, x2/W, y2/H, area/(W·H)] */
    public static final int LOCATION_DIMS = 5;

    public ImageEmbeddings(InterBertConfig c, Generator gen) {
        registerModule("image_embeddings", new Linear(c.vFeatureSize(), c.vHiddenSize(), gen));
        registerModule("image_location_embeddings", new Linear(LOCATION_DIMS, c.vHiddenSize(), gen));
        registerModule("LayerNorm", new LayerNorm(c.vHiddenSize(), InterBertConfig.LAYER_NORM_EPS, true));
        // The text rate hidden_dropout_prob, not the image layers' v_hidden_dropout_prob: the original reads it so.
        registerModule("dropout", new Dropout(c.hiddenDropoutProb(), gen));
    }

    /**
     * @param features  [B, R, F] region features
     * @param locations [B, R, 5] normalised boxes
     * @return [B, R, H]
     */
    public Tensor forward(Tensor features, Tensor locations) {
        Tensor e = lin("image_embeddings").forward(features).add(lin("image_location_embeddings").forward(locations));
        e = ((LayerNorm) submodule("LayerNorm")).forward(e);
        return ((Dropout) submodule("dropout")).forward(e);
    }

    private Linear lin(String name) { return (Linear) submodule(name); }
}

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

    private final Linear imageEmbeddings, imageLocationEmbeddings;
    private final LayerNorm layerNorm;
    private final Dropout dropout;

    public ImageEmbeddings(InterBertConfig c, Generator gen) {
        this.imageEmbeddings = registerModule("image_embeddings", new Linear(c.vFeatureSize(), c.vHiddenSize(), gen));
        this.imageLocationEmbeddings = registerModule("image_location_embeddings", new Linear(LOCATION_DIMS, c.vHiddenSize(), gen));
        this.layerNorm = registerModule("LayerNorm", new LayerNorm(c.vHiddenSize(), InterBertConfig.LAYER_NORM_EPS, true));
        // The text rate hidden_dropout_prob, not the image layers' v_hidden_dropout_prob: the original reads it so.
        this.dropout = registerModule("dropout", new Dropout(c.hiddenDropoutProb(), gen));
    }

    /**
     * @param features  [B, R, F] region features
     * @param locations [B, R, 5] normalised boxes
     * @return [B, R, H]
     */
    public Tensor forward(Tensor features, Tensor locations) {
        Tensor e = imageEmbeddings.forward(features).add(imageLocationEmbeddings.forward(locations));
        return dropout.forward(layerNorm.forward(e));
    }
}

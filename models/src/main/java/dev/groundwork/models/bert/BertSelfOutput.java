package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.LayerNorm;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * LayerNorm(dropout(dense(h)) + residual): the post-LN residual block after attention (in_features =
 * hidden) and, as {@link BertOutput}, after the FFN (in_features = intermediate).
 */
public class BertSelfOutput extends Module {
    public BertSelfOutput(BertConfig c, Generator gen) { this(c, c.hiddenSize(), gen); }

    BertSelfOutput(BertConfig c, int inFeatures, Generator gen) {
        registerModule("dense", new Linear(inFeatures, c.hiddenSize(), gen));
        registerModule("LayerNorm", new LayerNorm(c.hiddenSize(), c.layerNormEps(), true));
        registerModule("dropout", new Dropout(c.hiddenDropoutProb(), gen));
    }

    public Tensor forward(Tensor hidden, Tensor residual) {
        Tensor h = ((Linear) submodule("dense")).forward(hidden);
        h = ((Dropout) submodule("dropout")).forward(h);
        return ((LayerNorm) submodule("LayerNorm")).forward(h.add(residual));
    }
}

package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.LayerNorm;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * LayerNorm(dropout(dense(h)) + residual): the post-LN residual block after attention (in_features =
 * hidden) and, as {@link BertOutput}, after the FFN (in_features = intermediate). The dense layer's
 * bias, the dropout and the residual add run as one op ({@link F#biasDropoutAdd}, fused on CUDA).
 */
public class BertSelfOutput extends Module {
    private final Linear dense;
    private final LayerNorm layerNorm;
    private final Dropout dropout;

    public BertSelfOutput(BertConfig c, Generator gen) { this(c, c.hiddenSize(), gen); }

    BertSelfOutput(BertConfig c, int inFeatures, Generator gen) {
        this.dense = registerModule("dense", new Linear(inFeatures, c.hiddenSize(), gen));
        this.layerNorm = registerModule("LayerNorm", new LayerNorm(c.hiddenSize(), c.layerNormEps(), true));
        this.dropout = registerModule("dropout", new Dropout(c.hiddenDropoutProb(), gen));
    }

    public Tensor forward(Tensor hidden, Tensor residual) {
        return layerNorm.forward(dropout.forwardBiasAdd(dense.forwardWithoutBias(hidden), dense.bias(), residual));
    }
}

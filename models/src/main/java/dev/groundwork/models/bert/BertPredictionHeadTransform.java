package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.LayerNorm;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/** LayerNorm(gelu(dense(h))), hidden -> hidden: the MLM head's transform, the bias added inside {@link F#biasGelu}. */
public final class BertPredictionHeadTransform extends Module implements UnaryModule {
    private final Linear dense;
    private final LayerNorm layerNorm;

    public BertPredictionHeadTransform(BertConfig c, Generator gen) {
        this.dense = registerModule("dense", new Linear(c.hiddenSize(), c.hiddenSize(), gen));
        this.layerNorm = registerModule("LayerNorm", new LayerNorm(c.hiddenSize(), c.layerNormEps(), true));
    }

    @Override
    public Tensor forward(Tensor h) {
        return layerNorm.forward(F.biasGelu(dense.forwardWithoutBias(h), dense.bias()));
    }
}

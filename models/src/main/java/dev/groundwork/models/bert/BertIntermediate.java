package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * gelu(dense(x)), hidden -> intermediate, the bias added inside {@link F#biasGelu} (fused on CUDA).
 * BertConfig admits only exact GELU, so no switch is needed.
 */
public final class BertIntermediate extends Module implements UnaryModule {
    private final Linear dense;

    public BertIntermediate(BertConfig c, Generator gen) {
        this.dense = registerModule("dense", new Linear(c.hiddenSize(), c.intermediateSize(), gen));
    }

    @Override
    public Tensor forward(Tensor x) { return F.biasGelu(dense.forwardWithoutBias(x), dense.bias()); }
}

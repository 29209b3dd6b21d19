package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/** One post-LN transformer layer: attention block, then intermediate (FFN up) and output (FFN down). */
public final class BertLayer extends Module {
    public BertLayer(BertConfig c, Generator gen) {
        registerModule("attention", new BertAttention(c, gen));
        registerModule("intermediate", new BertIntermediate(c, gen));
        registerModule("output", new BertOutput(c, gen));
    }

    public Tensor forward(Tensor x, Tensor attentionMask) {
        Tensor a = ((BertAttention) submodule("attention")).forward(x, attentionMask);
        Tensor i = ((BertIntermediate) submodule("intermediate")).forward(a);
        return ((BertOutput) submodule("output")).forward(i, a);
    }
}

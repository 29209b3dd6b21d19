package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/** self-attention followed by its output block; children {@code self} and {@code output} as in HF. */
public final class BertAttention extends Module {
    public BertAttention(BertConfig c, Generator gen) {
        registerModule("self", new BertSelfAttention(c, gen));
        registerModule("output", new BertSelfOutput(c, gen));
    }

    public BertSelfAttention self() { return (BertSelfAttention) submodule("self"); }

    public Tensor forward(Tensor x, Tensor attentionMask) {
        return ((BertSelfOutput) submodule("output")).forward(self().forward(x, attentionMask), x);
    }
}

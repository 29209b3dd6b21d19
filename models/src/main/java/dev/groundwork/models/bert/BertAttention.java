package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/** self-attention followed by its output block; children {@code self} and {@code output} as in HF. */
public final class BertAttention extends Module {
    private final BertSelfAttention self;
    private final BertSelfOutput output;

    public BertAttention(BertConfig c, Generator gen) {
        this.self = registerModule("self", new BertSelfAttention(c, gen));
        this.output = registerModule("output", new BertSelfOutput(c, gen));
    }

    public BertSelfAttention self() { return self; }

    public BertSelfOutput output() { return output; }

    public Tensor forward(Tensor x, Tensor attentionMask) {
        return output.forward(self.forward(x, attentionMask), x);
    }
}

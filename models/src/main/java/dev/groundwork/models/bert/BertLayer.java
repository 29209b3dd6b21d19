package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/** One post-LN transformer layer: attention block, then intermediate (FFN up) and output (FFN down). */
public final class BertLayer extends Module {
    private final BertAttention attention;
    private final BertIntermediate intermediate;
    private final BertOutput output;

    public BertLayer(BertConfig c, Generator gen) {
        this.attention = registerModule("attention", new BertAttention(c, gen));
        this.intermediate = registerModule("intermediate", new BertIntermediate(c, gen));
        this.output = registerModule("output", new BertOutput(c, gen));
    }

    public BertAttention attention() { return attention; }

    public BertIntermediate intermediate() { return intermediate; }

    public BertOutput output() { return output; }

    public Tensor forward(Tensor x, Tensor attentionMask) {
        Tensor a = attention.forward(x, attentionMask);
        return output.forward(intermediate.forward(a), a);
    }
}

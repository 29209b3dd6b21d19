package dev.groundwork.models.bert;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;

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
        // Without gradients nothing refers to this layer's intermediates once it returns, so they are released
        // here rather than at the end of the caller's scope: an inference forward then holds one layer's
        // activations at a time instead of every layer's (a 500-pair retrieval forward went from over 12 GiB
        // to about one layer's worth). With gradients the graph needs them until backward.
        if (GradMode.isEnabled()) return body(x, attentionMask);
        try (TensorScope layerScope = TensorScope.open()) {
            return layerScope.keep(body(x, attentionMask));
        }
    }

    private Tensor body(Tensor x, Tensor attentionMask) {
        Tensor a = attention.forward(x, attentionMask);
        return output.forward(intermediate.forward(a), a);
    }
}

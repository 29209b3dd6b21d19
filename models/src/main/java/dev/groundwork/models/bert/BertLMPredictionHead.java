package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Embedding;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

/**
 * MLM logits: transform, then a decoder whose weight IS the word-embedding table (one tensor, so
 * both receive the same updates), plus the head's own {@code bias} [vocab] starting at zero.
 * Names: {@code transform.*}, {@code bias}, {@code decoder.weight}.
 */
public final class BertLMPredictionHead extends Module implements UnaryModule {
    private final BertPredictionHeadTransform transform;
    private final Linear decoder;

    public BertLMPredictionHead(BertConfig c, Embedding wordEmbeddings, Generator gen) {
        this.transform = registerModule("transform", new BertPredictionHeadTransform(c, gen));
        this.decoder = registerModule("decoder", new Linear(c.hiddenSize(), c.vocabSize(), false, gen));
        decoder.setParameter("weight", wordEmbeddings.weight());
        registerParameter("bias", Tensor.zeros(DType.F32, Device.CPU, c.vocabSize()));
    }

    public BertPredictionHeadTransform transform() { return transform; }

    public Linear decoder() { return decoder; }

    /** [.., H] -> [.., vocab] */
    @Override
    public Tensor forward(Tensor h) {
        return F.linear(transform.forward(h), decoder.weight(), param("bias"));
    }
}

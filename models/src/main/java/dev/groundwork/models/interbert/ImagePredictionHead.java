package dev.groundwork.models.interbert;

import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertPredictionHeadTransform;

/**
 * {@code cls.imagePredictions} (spec 1.5): decoder(LN(gelu(dense(h)))), H -> v_target_size, with its
 * own weight and bias (nothing tied). The original's transform reads {@code hidden_act}, not
 * {@code v_hidden_act}; both must be "gelu" here, so the difference cannot show.
 */
public final class ImagePredictionHead extends Module implements UnaryModule {
    private final BertPredictionHeadTransform transform;
    private final Linear decoder;

    public ImagePredictionHead(InterBertConfig c, Generator gen) {
        this.transform = registerModule("transform", new BertPredictionHeadTransform(c.imageConfig(), gen));
        this.decoder = registerModule("decoder", new Linear(c.vHiddenSize(), c.vTargetSize(), gen));
    }

    /** [.., H] -> [.., v_target_size] */
    @Override
    public Tensor forward(Tensor h) {
        return decoder.forward(transform.forward(h));
    }
}

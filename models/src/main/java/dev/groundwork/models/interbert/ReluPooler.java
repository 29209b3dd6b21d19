package dev.groundwork.models.interbert;

import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * {@code bert.t_pooler} and {@code bert.v_pooler} (spec 1.5): ReLU(dense(h[:, 0])), H -> P. Not BERT's
 * tanh pooler: that one's weights are discarded when InterBERT starts from bert-base.
 */
public final class ReluPooler extends Module implements UnaryModule {
    private final Linear dense;

    public ReluPooler(int hidden, int pooled, Generator gen) {
        this.dense = registerModule("dense", new Linear(hidden, pooled, gen));
    }

    /** [B, T, H] -> [B, P], from the first token ([CLS] for text, the global image token for regions). */
    @Override
    public Tensor forward(Tensor hidden) {
        return dense.forward(hidden.select(1, 0)).relu();
    }
}

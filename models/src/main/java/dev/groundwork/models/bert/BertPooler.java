package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/** tanh(dense(h[:, 0])): the [CLS] vector through a hidden -> hidden layer. VG-BERT never uses it. */
public final class BertPooler extends Module implements UnaryModule {
    private final Linear dense;

    public BertPooler(BertConfig c, Generator gen) {
        this.dense = registerModule("dense", new Linear(c.hiddenSize(), c.hiddenSize(), gen));
    }

    /** [B, T, H] -> [B, H] */
    @Override
    public Tensor forward(Tensor hidden) {
        return dense.forward(hidden.select(1, 0)).tanh();
    }
}

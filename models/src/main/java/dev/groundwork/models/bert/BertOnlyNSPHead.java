package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/** Next-sentence logits from the pooled output: {@code seq_relationship}, hidden -> 2. */
public final class BertOnlyNSPHead extends Module implements UnaryModule {
    private final Linear seqRelationship;

    public BertOnlyNSPHead(BertConfig c, Generator gen) {
        this.seqRelationship = registerModule("seq_relationship", new Linear(c.hiddenSize(), 2, gen));
    }

    /** [B, H] -> [B, 2] */
    @Override
    public Tensor forward(Tensor pooled) { return seqRelationship.forward(pooled); }
}

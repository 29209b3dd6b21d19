package dev.groundwork.models.bert;

import dev.groundwork.engine.random.Generator;

/** The FFN's down-projection block: LayerNorm(dropout(dense(intermediate)) + attention output). */
public final class BertOutput extends BertSelfOutput {
    public BertOutput(BertConfig c, Generator gen) { super(c, c.intermediateSize(), gen); }
}

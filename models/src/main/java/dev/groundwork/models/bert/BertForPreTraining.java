package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * HF BertForPreTraining: {@code bert.*} plus {@code cls.*}, the names of the original bert-base
 * checkpoints. {@code cls.predictions.decoder.weight} is tied to {@code bert.embeddings.word_embeddings.weight}.
 */
public final class BertForPreTraining extends Module {
    private final BertModel bert;
    private final BertPreTrainingHeads cls;

    public BertForPreTraining(BertConfig c, Generator gen) {
        this.bert = registerModule("bert", new BertModel(c, gen));
        this.cls = registerModule("cls", new BertPreTrainingHeads(c, bert.embeddings().wordEmbeddings(), gen));
        // Init the heads as HF does; the tied decoder weight is the embedding table, already initialised,
        // so re-drawing it here would be harmless but wasteful: only the transform and NSP layers are new.
        BertInit.apply(cls.predictions().transform(), c.initializerRange(), gen);
        BertInit.apply(cls.seqRelationship(), c.initializerRange(), gen);
    }

    public BertModel bert() { return bert; }

    public BertPreTrainingHeads cls() { return cls; }

    public BertPreTrainingHeads.Output forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) {
        BertModel.Output o = bert.forward(inputIds, tokenTypeIds, attentionMask);
        return cls.forward(o.lastHiddenState(), o.pooledOutput());
    }
}

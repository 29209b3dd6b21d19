package dev.groundwork.models.interbert;

import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.Embedding;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertInit;
import dev.groundwork.models.bert.BertLMPredictionHead;

/**
 * {@code cls.*} (spec 1.5): {@code predictions} (BERT's MLM head, decoder tied to the word embeddings),
 * {@code bi_seq_relationship} (ITM on the fused pooled vectors: class 0 matched, 1 not) and
 * {@code imagePredictions}. InterBertForVLTasks carries these heads too: its ITM output is the
 * retrieval score.
 */
public final class InterBertPreTrainingHeads extends Module {
    /** The fusion's dropout rate, hard-coded in the original (nn.Dropout(0.1)), whatever the config says. */
    public static final double FUSION_DROPOUT = 0.1;

    /** MLM logits [B, L, V], region logits [B, R, v_target_size] (global row included), ITM logits [B, 2]. */
    public record Output(Tensor predictionScoresT, Tensor predictionScoresV, Tensor seqRelationshipScore) {}

    private final Fusion fusion;

    public InterBertPreTrainingHeads(InterBertConfig c, Embedding wordEmbeddings, Generator gen) {
        this.fusion = c.fusionMethod();
        registerModule("predictions", new BertLMPredictionHead(c.textConfig(), wordEmbeddings, gen));
        registerModule("bi_seq_relationship", new Linear(c.biHiddenSize(), 2, gen));
        registerModule("imagePredictions", new ImagePredictionHead(c, gen));
        registerModule("dropout", new Dropout(FUSION_DROPOUT, gen));
        // spec 1.6. The decoder weight is the embedding table, drawn with the embeddings: only the new layers are.
        for (String fresh : new String[]{"predictions.transform", "bi_seq_relationship", "imagePredictions"})
            BertInit.apply(submodule(fresh), c.initializerRange(), gen);
    }

    public Output forward(InterBertModel.Output o) {
        return new Output(((BertLMPredictionHead) submodule("predictions")).forward(o.sequenceOutputT()),
                ((ImagePredictionHead) submodule("imagePredictions")).forward(o.sequenceOutputV()),
                itm(o));
    }

    /** The ITM logits alone: all that retrieval (spec 5.1) and Flickr fine-tuning (spec 4.2) read. */
    public Tensor itm(InterBertModel.Output o) {
        Tensor fused = ((Dropout) submodule("dropout")).forward(fusion.apply(o.pooledOutputT(), o.pooledOutputV()));
        return ((Linear) submodule("bi_seq_relationship")).forward(fused);
    }
}

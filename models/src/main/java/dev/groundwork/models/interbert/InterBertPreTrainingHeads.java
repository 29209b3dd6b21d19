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
    private final BertLMPredictionHead predictions;
    private final Linear biSeqRelationship;
    private final ImagePredictionHead imagePredictions;
    private final Dropout dropout;

    public InterBertPreTrainingHeads(InterBertConfig c, Embedding wordEmbeddings, Generator gen) {
        this(c, wordEmbeddings, FUSION_DROPOUT, gen);
    }

    /** As above with the fusion's dropout rate {@code fusionDropout} (fine-tuning's head dropout setting). */
    public InterBertPreTrainingHeads(InterBertConfig c, Embedding wordEmbeddings, double fusionDropout, Generator gen) {
        this.fusion = c.fusionMethod();
        this.predictions = registerModule("predictions", new BertLMPredictionHead(c.textConfig(), wordEmbeddings, gen));
        this.biSeqRelationship = registerModule("bi_seq_relationship", new Linear(c.biHiddenSize(), 2, gen));
        this.imagePredictions = registerModule("imagePredictions", new ImagePredictionHead(c, gen));
        this.dropout = registerModule("dropout", new Dropout(fusionDropout, gen));
        // spec 1.6. The decoder weight is the embedding table, drawn with the embeddings: only the new layers are.
        for (Module fresh : new Module[]{predictions.transform(), biSeqRelationship, imagePredictions})
            BertInit.apply(fresh, c.initializerRange(), gen);
    }

    public Output forward(InterBertModel.Output o) {
        return new Output(predictions.forward(o.sequenceOutputT()), imagePredictions.forward(o.sequenceOutputV()), itm(o));
    }

    /** The ITM head, {@code bi_seq_relationship}: fused pooled vectors [B, P] -> [B, 2]. */
    public Linear biSeqRelationship() { return biSeqRelationship; }

    /** The ITM logits alone: all that retrieval (spec 5.1) and Flickr fine-tuning (spec 4.2) read. */
    public Tensor itm(InterBertModel.Output o) {
        return biSeqRelationship.forward(dropout.forward(fusion.apply(o.pooledOutputT(), o.pooledOutputV())));
    }
}

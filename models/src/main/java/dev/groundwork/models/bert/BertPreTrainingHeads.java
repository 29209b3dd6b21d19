package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Embedding;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/** MLM and NSP heads together: {@code predictions.*} and {@code seq_relationship.*} (HF's "cls" module). */
public final class BertPreTrainingHeads extends Module {
    /** prediction_logits [B, T, vocab] and seq_relationship_logits [B, 2]. */
    public record Output(Tensor predictionLogits, Tensor seqRelationshipLogits) {}

    private final BertLMPredictionHead predictions;
    private final Linear seqRelationship;

    public BertPreTrainingHeads(BertConfig c, Embedding wordEmbeddings, Generator gen) {
        this.predictions = registerModule("predictions", new BertLMPredictionHead(c, wordEmbeddings, gen));
        this.seqRelationship = registerModule("seq_relationship", new Linear(c.hiddenSize(), 2, gen));
    }

    public BertLMPredictionHead predictions() { return predictions; }

    public Linear seqRelationship() { return seqRelationship; }

    public Output forward(Tensor sequenceOutput, Tensor pooledOutput) {
        return new Output(predictions.forward(sequenceOutput), seqRelationship.forward(pooledOutput));
    }
}

package dev.groundwork.models.interbert;

import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertInit;
import dev.groundwork.models.bert.BertSelfAttention;

/**
 * The fine-tuning network (spec 1.5): the whole pretraining network ({@code bert.*}, {@code cls.*}) plus
 * the fresh heads {@code vil_prediction}, {@code vil_logit}, {@code vision_logit} and {@code linguisic_logit}
 * (the original's spelling, kept so its checkpoints load). Flickr30K uses the ITM head
 * (vil_binary_prediction), VCR uses vil_logit; the other outputs are computed by the original but unused
 * (spec 8.21). They are kept, so its checkpoints load strictly, and {@link #scores} skips them.
 */
public final class InterBertForVLTasks extends Module {
    /** The constructor's dropout_prob default, used by every task of the original. */
    public static final double DROPOUT = 0.1;

    /** The outputs in the original's order. The region and token heads are [B, R, 1] and [B, L, 1]. */
    public record Output(Scores scores, Tensor visionPrediction, Tensor visionLogit, Tensor linguisticPrediction,
                         Tensor linguisicLogit) {}

    /** What the tasks read: vil_prediction [B, num_labels], vil_logit [B, 1], vil_binary_prediction [B, 2]. */
    public record Scores(Tensor vilPrediction, Tensor vilLogit, Tensor vilBinaryPrediction) {}

    private final InterBertModel bert;
    private final Dropout dropout;
    private final InterBertPreTrainingHeads cls;
    private final Linear vilPrediction, vilLogit, visionLogit, linguisicLogit;

    public InterBertForVLTasks(InterBertConfig c, int numLabels, Generator gen) {
        this(c, numLabels, DROPOUT, gen);
    }

    /**
     * As above with {@code headDropout} in front of every head: this module's own dropout (the original's
     * {@code dropout_prob}) and the ITM fusion's (hard-coded 0.1 in the original), the two that fine-tuning's
     * losses pass through. The defaults are {@link #DROPOUT} and {@link InterBertPreTrainingHeads#FUSION_DROPOUT}.
     */
    public InterBertForVLTasks(InterBertConfig c, int numLabels, double headDropout, Generator gen) {
        if (numLabels <= 0) throw new IllegalArgumentException("num_labels must be positive, got " + numLabels);
        this.bert = registerModule("bert", new InterBertModel(c, gen));
        this.dropout = registerModule("dropout", new Dropout(headDropout, gen));
        this.cls = registerModule("cls", new InterBertPreTrainingHeads(c, bert.embeddings().wordEmbeddings(), headDropout, gen));
        // The fresh heads of fine-tuning (spec 1.6), in the original's order.
        this.vilPrediction = registerModule("vil_prediction", fresh(new Linear(c.biHiddenSize(), numLabels, gen), c, gen));
        this.vilLogit = registerModule("vil_logit", fresh(new Linear(c.biHiddenSize(), 1, gen), c, gen));
        this.visionLogit = registerModule("vision_logit", fresh(new Linear(c.vHiddenSize(), 1, gen), c, gen));
        this.linguisicLogit = registerModule("linguisic_logit", fresh(new Linear(c.hiddenSize(), 1, gen), c, gen));
    }

    private static Linear fresh(Linear head, InterBertConfig c, Generator gen) { return BertInit.apply(head, c.initializerRange(), gen); }

    public InterBertModel bert() { return bert; }

    public InterBertPreTrainingHeads cls() { return cls; }

    /** {@code vil_prediction}: fused pooled vectors [B, P] -> [B, num_labels]. */
    public Linear vilPrediction() { return vilPrediction; }

    /** {@code vil_logit}: fused pooled vectors [B, P] -> [B, 1]. */
    public Linear vilLogit() { return vilLogit; }

    /** Every output of the original's forward, the MLM and region logits included. */
    public Output forward(InterBertInputs in) {
        InterBertModel.Output o = bert.forward(in);
        InterBertPreTrainingHeads.Output heads = cls.forward(o);
        Scores s = scores(o, heads.seqRelationshipScore());
        // Padded regions pushed to -10000 as the original does (its vision_logit is unused by every task).
        Tensor padBias = in.imageMask().to(o.sequenceOutputV().dtype()).mul(-1).add(1).mul(BertSelfAttention.MASK_VALUE).unsqueeze(2);
        return new Output(s, heads.predictionScoresV(), visionLogit.forward(dropout.forward(o.sequenceOutputV())).add(padBias),
                heads.predictionScoresT(), linguisicLogit.forward(dropout.forward(o.sequenceOutputT())));
    }

    /** The three pooled-level outputs only: no vocabulary or region logits are computed (retrieval, VCR). */
    public Scores scores(InterBertInputs in) {
        InterBertModel.Output o = bert.forward(in);
        return scores(o, cls.itm(o));
    }

    private Scores scores(InterBertModel.Output o, Tensor itm) {
        // The same fusion as the ITM head's, behind this module's own dropout (a separate draw, as in the original).
        Tensor fused = dropout.forward(bert.config().fusionMethod().apply(o.pooledOutputT(), o.pooledOutputV()));
        return new Scores(vilPrediction.forward(fused), vilLogit.forward(fused), itm);
    }
}

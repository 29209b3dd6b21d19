package dev.groundwork.models.vgbert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.RelationBatch;
import dev.groundwork.models.train.Selection;
import dev.groundwork.models.train.StageTask;
import dev.groundwork.models.train.StepOutput;
import dev.groundwork.models.vision.Vgg16Attention;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage 3 (§4): visual stream + Bert_object + {@code cross_attention_model} (language queries over the
 * grid, bilinear relation operator) + {@code object_classifier}; loss L_obj + L_rel + L_pair, unweighted.
 * --dropout-rate (0.1) acts in the visual attention, BERT and on the relation matrices.
 */
public final class RelationalModel extends Module implements StageTask<RelationBatch> {
    private static final int[] KS = {1, 5, 10};
    private final VgBertConfig config;
    private final Generator gen;
    private final Vgg16Attention imageModel;
    private final BertObject languageModel;
    private final CrossAttention crossAttention;
    private final ObjectClassifier objectClassifier;

    /** Losses, detached numbers and accuracy counts of one batch. */
    public record Losses(Tensor total, Tensor object, Tensor relation, Tensor pair, long[] relationHits, long[] objectHits) {}

    public RelationalModel(VgBertConfig c, int learnable, Generator gen) {
        this.config = c;
        this.gen = gen;
        this.imageModel = registerModule("image_model", new Vgg16Attention(c.visualWithDropout(c.dropout()), gen));
        this.languageModel = registerModule("language_model", new BertObject(c.bertWithDropout(c.dropout()), gen));
        this.crossAttention = registerModule("cross_attention_model",
                new CrossAttention(c.dim(), c.heads(), c.subspace(), c.relations(), c.dropout(), gen));
        this.objectClassifier = registerModule("object_classifier",
                new ObjectClassifier(c.dim(), c.classifierHidden(), c.objectClasses(), c.fixedDropout().classifier(), gen));
        Freezing.visualStream(this);
        Freezing.bert(this, c.bert().numHiddenLayers(), learnable, true);
    }

    public VgBertConfig config() { return config; }

    public CrossAttention.Output forward(RelationBatch b) {
        Tensor visual = imageModel.forward(b.images());
        Tensor phrases = languageModel.forward(b.ids(), b.types(), b.mask(), b.objectMask());
        return crossAttention.forward(visual, phrases, b.objectMask());
    }

    public Losses losses(RelationBatch b) {
        int batch = b.images().size(0);
        CrossAttention.Output out = forward(b);
        Tensor logits = objectClassifier.forward(out.objectRepresentation());
        Tensor lObj = RelationLosses.object(logits, b.objectTarget(), batch);
        RelationLosses.Pairs pairs = RelationLosses.pairs(b.relationTarget());
        Tensor lRel, lPair;
        long[] relHits;
        if (pairs.size() == 0) {   // no labelled pair in the batch: both relation losses are empty sums
            lRel = Tensor.scalar(0).to(lObj.device());
            lPair = Tensor.scalar(0).to(lObj.device());
            relHits = new long[KS.length + 1];
        } else {
            Tensor s = RelationLosses.pairScores(out.relationPrediction(), pairs);
            lRel = RelationLosses.relation(s, pairs, config.temperature(), batch);
            lPair = RelationLosses.pair(s, pairs, config.temperature(), batch);
            relHits = RelationLosses.topK(s, pairs.labels(), KS, -1);
        }
        int c = logits.size(2);
        long[] objHits = RelationLosses.topK(logits.reshape(logits.numel() / c, c), b.objectTarget().toLongArray(), KS, 0);
        return new Losses(lObj.add(lRel).add(lPair), lObj, lRel, lPair, relHits, objHits);
    }

    @Override
    public Module model() { return this; }

    @Override
    public StepOutput step(RelationBatch b) {
        Losses l = losses(b);
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("loss_object", l.object().item());
        parts.put("loss_relation", l.relation().item());
        parts.put("loss_pair", l.pair().item());
        Map<String, long[]> hits = new LinkedHashMap<>();
        for (int k = 0; k < KS.length; k++) {
            hits.put("relation_acc" + KS[k], new long[]{l.relationHits()[k], l.relationHits()[KS.length]});
            hits.put("object_acc" + KS[k], new long[]{l.objectHits()[k], l.objectHits()[KS.length]});
        }
        return new StepOutput(l.total(), parts, hits, b.images().size(0));
    }

    /** §4.6: validation relation Acc@1 (%), higher is better. */
    @Override
    public Selection selection() { return Selection.max("relation_acc1"); }

    @Override
    public Map<String, Generator> generators() { return Map.of("model", gen); }
}

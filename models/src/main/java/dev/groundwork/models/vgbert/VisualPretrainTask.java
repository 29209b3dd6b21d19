package dev.groundwork.models.vgbert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.ImageBatch;
import dev.groundwork.models.train.Selection;
import dev.groundwork.models.train.StageTask;
import dev.groundwork.models.train.StepOutput;
import dev.groundwork.models.vision.Vgg16AttentionClassifier;

import java.util.LinkedHashMap;
import java.util.Map;

/** Stage 1 (§1.6): the visual stream with an ImageNet classifier, mean cross entropy, all parameters trained. */
public final class VisualPretrainTask implements StageTask<ImageBatch> {
    private static final int[] KS = {1, 5};
    private final Vgg16AttentionClassifier model;
    private final Generator gen;

    /** @param hidden 4096 in the original; demos use less */
    public VisualPretrainTask(VgBertConfig c, int hidden, int classes, Generator gen) {
        this.gen = gen;
        this.model = new Vgg16AttentionClassifier(c.visualWithDropout(0.1), hidden, classes, gen);   // stage-1 attention dropout is a fixed 0.1
    }

    @Override
    public Module model() { return model; }

    @Override
    public StepOutput step(ImageBatch b) {
        Tensor logits = model.forward(b.images());
        Tensor loss = F.crossEntropy(logits, b.labels());
        long[] h = RelationLosses.topK(logits, b.labels().toLongArray(), KS, -1);
        Map<String, long[]> hits = new LinkedHashMap<>();
        hits.put("acc1", new long[]{h[0], h[2]});
        hits.put("acc5", new long[]{h[1], h[2]});
        return new StepOutput(loss, Map.of(), hits, b.images().size(0));
    }

    /** Best = highest val Acc@1, as model_best.pth.tar. */
    @Override
    public Selection selection() { return Selection.max("acc1"); }

    @Override
    public Map<String, Generator> generators() { return Map.of("model", gen); }
}

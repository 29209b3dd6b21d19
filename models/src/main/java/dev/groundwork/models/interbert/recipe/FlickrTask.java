package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.data.InterBertBatches;
import dev.groundwork.models.train.Selection;
import dev.groundwork.models.train.StageTask;
import dev.groundwork.models.train.StepOutput;

import java.util.List;
import java.util.Map;

/**
 * One Flickr30K step (spec 4.2): the ITM head ({@code vil_binary_prediction}) over the 4b pairs, binary
 * cross entropy against targets 0 (matched) / 1, averaged over the pairs (spec 8.14: not ViLBERT's 4-way
 * softmax). The training-time score, as the original's, is the share of samples whose matched pair has the
 * largest class-0 logit of its four; it selects the best epoch.
 */
final class FlickrTask implements StageTask<InterBertBatches.Pairs> {
    static final int PAIRS = 4;

    private final InterBertForVLTasks model;
    private final Generator gen;
    private final FlickrSettings s;

    FlickrTask(InterBertForVLTasks model, Generator gen, FlickrSettings s) {
        this.model = model;
        this.gen = gen;
        this.s = s;
    }

    @Override
    public Module model() { return model; }

    @Override
    public StepOutput step(InterBertBatches.Pairs b) {
        Tensor itm = model.scores(b.inputs()).vilBinaryPrediction();
        Tensor loss = F.crossEntropy(itm, b.targets(), -1, Losses.Reduction.MEAN);
        return new StepOutput(loss, Map.of(), Map.of("score", hits(itm)), b.ids().size());
    }

    /** {hits, samples}: samples whose pair 0 has the largest class-0 logit of its four. */
    static long[] hits(Tensor itm) {
        float[] z = itm.toFloatArray();
        int samples = z.length / (2 * PAIRS);
        long hits = 0;
        for (int i = 0; i < samples; i++) {
            int best = 0;
            for (int k = 1; k < PAIRS; k++) if (z[2 * (i * PAIRS + k)] > z[2 * (i * PAIRS + best)]) best = k;
            if (best == 0) hits++;
        }
        return new long[]{hits, samples};
    }

    @Override
    public Selection selection() { return Selection.max("score"); }

    @Override
    public List<ParamGroup> paramGroups() { return ParamGroups.fineTuning(model, s.lr(), s.weightDecayRule(), s.weightDecay()); }

    @Override
    public Map<String, Generator> generators() { return Map.of("model", gen); }
}

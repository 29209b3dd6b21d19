package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.data.VcrTask;
import dev.groundwork.models.train.Selection;
import dev.groundwork.models.train.StageTask;
import dev.groundwork.models.train.StepOutput;

import java.util.List;
import java.util.Map;

/**
 * One VCR step (spec 4.3): {@code vil_logit} of the 4 candidates, shared by both tasks, as [b, 4], cross
 * entropy against the right candidate; accuracy logged per task ({@code qa_acc}, {@code qar_acc}). The
 * best epoch is the one of the highest validation Q→A accuracy.
 */
final class VcrJointTask implements StageTask<VcrBatch> {
    private final InterBertForVLTasks model;
    private final Generator gen;
    private final VcrSettings s;

    VcrJointTask(InterBertForVLTasks model, Generator gen, VcrSettings s) {
        this.model = model;
        this.gen = gen;
        this.s = s;
    }

    @Override
    public Module model() { return model; }

    /** [b, 4] candidate logits. */
    static Tensor logits(InterBertForVLTasks model, dev.groundwork.models.interbert.InterBertInputs in) {
        Tensor v = model.scores(in).vilLogit();
        return v.reshape(v.size(0) / 4, 4);
    }

    @Override
    public StepOutput step(VcrBatch b) {
        Tensor z = logits(model, b.pairs().inputs());
        Tensor loss = F.crossEntropy(z, b.pairs().targets(), -1, Losses.Reduction.MEAN);
        float[] v = z.toFloatArray();
        long[] y = b.pairs().targets().toLongArray();
        long hits = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int k = 1; k < 4; k++) if (v[4 * i + k] > v[4 * i + best]) best = k;
            if (best == y[i]) hits++;
        }
        String name = b.kind() == VcrTask.Kind.Q_A ? "qa_acc" : "qar_acc";
        return new StepOutput(loss, Map.of(), Map.of(name, new long[]{hits, y.length}), y.length);
    }

    @Override
    public Selection selection() { return Selection.max("qa_acc"); }

    @Override
    public List<ParamGroup> paramGroups() { return ParamGroups.fineTuning(model, s.lr(), s.weightDecayRule(), s.weightDecay()); }

    @Override
    public Map<String, Generator> generators() { return Map.of("model", gen); }
}

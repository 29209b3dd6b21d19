package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.interbert.PretrainingLosses;
import dev.groundwork.models.interbert.data.InterBertBatches;
import dev.groundwork.models.train.Selection;
import dev.groundwork.models.train.StageTask;
import dev.groundwork.models.train.StepOutput;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pretraining step (spec 2.4): text · MSM + image · MRM + ITM, each loss as coded
 * ({@link PretrainingLosses}), logged under the original's names, plus the ITM accuracy. The best epoch is
 * the one of the lowest validation loss (the original only monitors it and keeps every epoch's weights).
 */
final class PretrainTask implements StageTask<InterBertBatches.Pretraining> {
    private final InterBertForMultiModalPreTraining model;
    private final Generator gen;
    private final PretrainSettings s;
    private final dev.groundwork.engine.dist.Communicator group;

    /** @param group the data-parallel ranks whose global batch the MLM and MRM means run over (null: this process alone) */
    PretrainTask(InterBertForMultiModalPreTraining model, Generator gen, PretrainSettings s, dev.groundwork.engine.dist.Communicator group) {
        this.model = model;
        this.gen = gen;
        this.s = s;
        this.group = group;
    }

    @Override
    public Module model() { return model; }

    @Override
    public StepOutput step(InterBertBatches.Pretraining b) {
        InterBertForMultiModalPreTraining.Output out = model.forward(b.inputs());
        // Validation runs the whole set on every rank: its means stay local (no collective there).
        PretrainingLosses l = group != null && model.isTraining()
                ? model.losses(out, b.labels(), group) : model.losses(out, b.labels());
        Tensor total = l.maskedLmLoss().mul(s.textWeight()).add(l.maskedImgLoss().mul(s.imageWeight())).add(l.nextSentenceLoss().mul(s.itmWeight()));
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("masked_lm_loss", l.maskedLmLoss().item());
        parts.put("masked_img_loss", l.maskedImgLoss().item());
        parts.put("next_sentence_loss", l.nextSentenceLoss().item());
        return new StepOutput(total, parts, Map.of("itm_acc", itmHits(out.scores().seqRelationshipScore(), b.labels().isNext())), b.inputs().batch());
    }

    /** {hits, total}: pairs whose ITM argmax is their is_next label. */
    static long[] itmHits(Tensor scores, Tensor labels) {
        float[] z = scores.to(dev.groundwork.engine.tensor.Device.CPU).toFloatArray();
        long[] y = labels.toLongArray();
        long hits = 0;
        for (int i = 0; i < y.length; i++) if ((z[2 * i + 1] > z[2 * i] ? 1 : 0) == y[i]) hits++;
        return new long[]{hits, y.length};
    }

    @Override
    public Selection selection() { return Selection.min("loss"); }

    @Override
    public List<ParamGroup> paramGroups() { return ParamGroups.pretraining(model, s.lr(), s.bertLrFactor(), s.weightDecayRule(), s.weightDecay()); }

    @Override
    public Map<String, Generator> generators() { return Map.of("model", gen); }
}

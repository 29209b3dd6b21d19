package dev.groundwork.models.interbert.recipe;

import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.train.InvalidSettingException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * One Flickr30K fine-tuning run (spec 4.2, 4.4; README: {@code train_tasks.py --tasks 3}). {@link #defaults}:
 * lr 4e-5 for every tensor, 64 samples (256 pairs) per step, 20 epochs, warmup-constant over 10 % of
 * t_total, ×0.1 at epochs 12 and 16, EMA 0.9999 after every step, weight decay 0.01 as coded, L = 30,
 * R = 102.
 *
 * @param data          the folder of {@code flickr30k_resnet101_faster_rcnn_genome.lmdb}, the
 *                      {@code all_data_final_*_2014.jsonline} splits and {@code hard_negative.pkl}
 * @param init          the pretrained weights (a pretraining run's {@code best.safetensors} or the original's
 *                      {@code pytorch_model_N.bin}); null starts from random weights (tests only)
 * @param regionClasses the width of the inherited region head (1601 detector classes for the released model),
 *                      so the pretraining checkpoint loads
 * @param milestones    0-based epochs at whose start the lr is multiplied by 0.1 (the original's "mannul" LambdaLR)
 * @param headDropout   the dropout in front of the heads ({@link InterBertForVLTasks#InterBertForVLTasks(InterBertConfig, int, double,
 *                      dev.groundwork.engine.random.Generator)}), 0.1 as the original; 0 makes a data-parallel run compute exactly
 *                      what one process computes on the global batch (dropout masks are drawn per rank)
 */
public record FlickrSettings(Path data, Path vocab, Path config, ModelSize size, Path init, int regionClasses, double lr, int batchSize,
                             int epochs, double warmup, int[] milestones, double emaDecay, WeightDecayRule weightDecayRule,
                             double weightDecay, int textLength, int regions, double headDropout, RunOptions run) {
    public static final String FEATURES = "flickr30k_resnet101_faster_rcnn_genome.lmdb", HARD = "hard_negative.pkl";

    public FlickrSettings {
        FineTuneChecks.common("Flickr30K", data, vocab, config, init, regionClasses, lr, batchSize, epochs, warmup, emaDecay, weightDecay, run);
        InvalidSettingException.check(textLength >= 3 && regions >= 1, "textLength", "and regions must be at least 3 and 1");
        milestones = milestones == null ? new int[0] : milestones.clone();
        for (int i = 0; i < milestones.length; i++)
            InvalidSettingException.check(milestones[i] > 0 && (i == 0 || milestones[i] > milestones[i - 1]), "milestones",
                    "must be increasing positive epochs, got " + Arrays.toString(milestones));
        FineTuneChecks.headDropout(headDropout);
        if (size == null) size = ModelSize.BASE;
        if (weightDecayRule == null) weightDecayRule = WeightDecayRule.AS_CODED;
    }

    /** The original's head dropout ({@link InterBertForVLTasks#DROPOUT}). */
    public FlickrSettings(Path data, Path vocab, Path config, ModelSize size, Path init, int regionClasses, double lr, int batchSize, int epochs,
                          double warmup, int[] milestones, double emaDecay, WeightDecayRule weightDecayRule, double weightDecay, int textLength,
                          int regions, RunOptions run) {
        this(data, vocab, config, size, init, regionClasses, lr, batchSize, epochs, warmup, milestones, emaDecay, weightDecayRule, weightDecay,
                textLength, regions, InterBertForVLTasks.DROPOUT, run);
    }

    public static FlickrSettings defaults(Path data, Path vocab, Path init, RunOptions run) {
        return new FlickrSettings(data, vocab, null, ModelSize.BASE, init, 1601, 4e-5, 64, 20, 0.1, new int[]{12, 16}, 0.9999,
                WeightDecayRule.AS_CODED, 0.01, 30, 102, run);
    }

    @Override
    public int[] milestones() { return milestones.clone(); }

    public Path split(String name) { return data.resolve("all_data_final_" + name + "_2014.jsonline"); }

    public Map<String, String> recorded() {
        Map<String, String> m = RunOptions.recorded("interbert-flickr", data, vocab, config, size, lr, batchSize, warmup, weightDecayRule, weightDecay);
        m.put("init", init == null ? "none" : init.toAbsolutePath().normalize().toString());
        m.put("regionClasses", Integer.toString(regionClasses));
        m.put("milestones", Arrays.toString(milestones));
        m.put("textLength", Integer.toString(textLength));
        m.put("regions", Integer.toString(regions));
        m.put("headDropout", Double.toString(headDropout));
        run.record(m);
        return m;
    }

    public FlickrSettings withModel(ModelSize s, Path c, int classes) {
        return new FlickrSettings(data, vocab, c, s, init, classes, lr, batchSize, epochs, warmup, milestones, emaDecay, weightDecayRule,
                weightDecay, textLength, regions, headDropout, run);
    }

    public FlickrSettings withTraining(double l, int batch, int e, int[] ms, double ema) {
        return new FlickrSettings(data, vocab, config, size, init, regionClasses, l, batch, e, warmup, ms, ema, weightDecayRule,
                weightDecay, textLength, regions, headDropout, run);
    }
}

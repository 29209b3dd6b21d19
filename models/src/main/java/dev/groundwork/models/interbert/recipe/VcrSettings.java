package dev.groundwork.models.interbert.recipe;

import dev.groundwork.models.interbert.data.VcrTask;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.train.InvalidSettingException;

import java.nio.file.Path;
import java.util.Map;

/**
 * One VCR run, Q→A and QA→R trained jointly as coded (spec 4.3, 4.4; README {@code --tasks 1-2}).
 * {@link #defaults}: lr 2e-5, 32 questions per task per iteration (4 per GPU × 8), 5 epochs,
 * warmup-constant 10 % of t_total = iterations × epochs (spec 8.17: the two steps per iteration make
 * the warm-up end after about 5 % of the iterations, kept as coded), EMA 0.9999, R = 100 rows; L = 60 for
 * Q→A and 80 for QA→R.
 *
 * @param data the folder of the two feature stores, {@code train.jsonl}, {@code val.jsonl},
 *             {@code vcr1images/} and {@code unisex_names_table.csv}
 * @param headDropout the dropout in front of the heads, 0.1 as the original (see {@link FlickrSettings})
 */
public record VcrSettings(Path data, Path vocab, Path config, ModelSize size, Path init, int regionClasses, double lr, int batchSize,
                          int epochs, double warmup, double emaDecay, WeightDecayRule weightDecayRule, double weightDecay, int qaLength,
                          int qarLength, int regions, double headDropout, RunOptions run) {
    public static final String DETECTED = "VCR_resnet101_faster_rcnn_genome.lmdb", GROUND_TRUTH = "VCR_gt_resnet101_faster_rcnn_genome.lmdb",
            NAMES = "unisex_names_table.csv", IMAGES = "vcr1images";

    public VcrSettings {
        FineTuneChecks.common("VCR", data, vocab, config, init, regionClasses, lr, batchSize, epochs, warmup, emaDecay, weightDecay, run);
        InvalidSettingException.check(regions >= 2, "regions", "must be at least 2, got " + regions);
        // [CLS] A [SEP] B [SEP]: three slots are taken, and each text keeps at least one token.
        InvalidSettingException.check(qaLength >= 5 && qarLength >= 5, "textLength", "must be at least 5 for each task, got " + qaLength + "," + qarLength);
        FineTuneChecks.headDropout(headDropout);
        if (size == null) size = ModelSize.BASE;
        if (weightDecayRule == null) weightDecayRule = WeightDecayRule.AS_CODED;
    }

    /** The original's head dropout ({@link InterBertForVLTasks#DROPOUT}). */
    public VcrSettings(Path data, Path vocab, Path config, ModelSize size, Path init, int regionClasses, double lr, int batchSize, int epochs,
                       double warmup, double emaDecay, WeightDecayRule weightDecayRule, double weightDecay, int qaLength, int qarLength, int regions,
                       RunOptions run) {
        this(data, vocab, config, size, init, regionClasses, lr, batchSize, epochs, warmup, emaDecay, weightDecayRule, weightDecay, qaLength,
                qarLength, regions, InterBertForVLTasks.DROPOUT, run);
    }

    public static VcrSettings defaults(Path data, Path vocab, Path init, RunOptions run) {
        return new VcrSettings(data, vocab, null, ModelSize.BASE, init, 1601, 2e-5, 32, 5, 0.1, 0.9999, WeightDecayRule.AS_CODED, 0.01,
                VcrTask.Q_A_LENGTH, VcrTask.QA_R_LENGTH, VcrTask.REGIONS, run);
    }

    public VcrSettings withInit(Path p) {
        return new VcrSettings(data, vocab, config, size, p, regionClasses, lr, batchSize, epochs, warmup, emaDecay, weightDecayRule, weightDecay, qaLength, qarLength, regions, headDropout, run);
    }

    public Map<String, String> recorded() {
        Map<String, String> m = RunOptions.recorded("interbert-vcr", data, vocab, config, size, lr, batchSize, warmup, weightDecayRule, weightDecay);
        m.put("init", init == null ? "none" : init.toAbsolutePath().normalize().toString());
        m.put("regionClasses", Integer.toString(regionClasses));
        m.put("regions", Integer.toString(regions));
        m.put("textLength", qaLength + "," + qarLength);
        m.put("headDropout", Double.toString(headDropout));
        run.record(m);
        return m;
    }
}

package dev.groundwork.models.interbert.recipe;

import dev.groundwork.models.train.InvalidSettingException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One InterBERT pretraining run (spec 2, README: {@code train_concap.py}). {@link #defaults} holds the
 * README's values: lr 1e-4 (BERT-initialised parts 1e-5), 64 per process, 15 epochs, warm-up 10 %,
 * span masking, KL region loss, loss weights 1/1/1, weight decay 0.01 as coded, L = 36, 36 regions.
 *
 * @param data       the folder of {@code training_feat_all.lmdb} (or {@code training_feat_part_{rank}.lmdb}),
 *                   {@code validation_all.lmdb}, {@code caption_train.json} and {@code caption_val.json}
 * @param fromBert   a bert-base checkpoint (file or HF folder) to start from (spec 1.6), or null for random weights
 * @param bertLrFactor the lr factor of the BERT-initialised tensors (spec 2.5: 0.1; the demo, whose network starts
 *                   from random weights everywhere, uses 1)
 * @param rank       this process's rank: its {@code training_feat_part_{rank}.lmdb} is read when present
 *                   (spec 8.9); -1 (one process) reads {@code training_feat_all.lmdb}
 */
public record PretrainSettings(Path data, Path vocab, Path config, ModelSize size, Path fromBert, double lr, int batchSize, int epochs,
                               double warmup, boolean spanMask, boolean predictFeature, double textWeight, double imageWeight,
                               double itmWeight, WeightDecayRule weightDecayRule, double weightDecay, double bertLrFactor, int rank,
                               int maxSeqLength, int regions, RunOptions run) {
    public static final String TRAIN_ALL = "training_feat_all.lmdb", VAL = "validation_all.lmdb",
            CAPTIONS_TRAIN = "caption_train.json", CAPTIONS_VAL = "caption_val.json";

    public PretrainSettings {
        InvalidSettingException.check(data != null && Files.isDirectory(data), "data", "must name the pretraining folder, got " + data);
        InvalidSettingException.check(vocab != null && Files.isRegularFile(vocab), "vocab", "names no file: " + vocab);
        InvalidSettingException.check(config == null || Files.isRegularFile(config), "config", "names no file: " + config);
        InvalidSettingException.check(fromBert == null || Files.exists(fromBert), "fromBert", "names nothing: " + fromBert);
        InvalidSettingException.check(lr > 0 && Double.isFinite(lr), "lr", "must be positive, got " + lr);
        InvalidSettingException.check(batchSize > 0, "batchSize", "must be positive, got " + batchSize);
        InvalidSettingException.check(epochs > 0, "epochs", "must be positive, got " + epochs);
        InvalidSettingException.check(warmup >= 0 && warmup < 1, "warmup", "must be in [0, 1), got " + warmup);
        for (double w : new double[]{textWeight, imageWeight, itmWeight})
            InvalidSettingException.check(w >= 0 && Double.isFinite(w), "lossWeights", "must be finite and not negative, got " + w);
        InvalidSettingException.check(weightDecay >= 0, "weightDecay", "must not be negative, got " + weightDecay);
        InvalidSettingException.check(bertLrFactor > 0 && bertLrFactor <= 1, "bertLrFactor", "must be in (0, 1], got " + bertLrFactor);
        InvalidSettingException.check(rank >= -1, "rank", "must be -1 (one process) or a rank, got " + rank);
        InvalidSettingException.check(maxSeqLength >= 3, "maxSeqLength", "must leave room for [CLS], a token and [SEP], got " + maxSeqLength);
        InvalidSettingException.check(regions >= 1, "regions", "must be positive, got " + regions);
        InvalidSettingException.check(run != null, "run", "must be given");
        if (size == null) size = ModelSize.BASE;
        if (weightDecayRule == null) weightDecayRule = WeightDecayRule.AS_CODED;
    }

    /** The README's pretraining run on {@code data} with {@code vocab}, writing to {@code run}'s folder. */
    public static PretrainSettings defaults(Path data, Path vocab, RunOptions run) {
        return new PretrainSettings(data, vocab, null, ModelSize.BASE, null, 1e-4, 64, 15, 0.1, true, false, 1, 1, 1,
                WeightDecayRule.AS_CODED, 0.01, ParamGroups.BERT_LR_FACTOR, -1, 36, 36, run);
    }

    /** This rank's shard when it exists (spec 8.9), else the whole training store. */
    public Path trainStore() {
        if (rank >= 0) {
            Path part = data.resolve("training_feat_part_" + rank + ".lmdb");
            if (Files.exists(part)) return part;
        }
        return data.resolve(TRAIN_ALL);
    }

    /** What the run computes, recorded in its checkpoints so a resume with other values is refused. */
    public Map<String, String> recorded() {
        Map<String, String> m = RunOptions.recorded("interbert-pretrain", data, vocab, config, size, lr, batchSize, warmup, weightDecayRule, weightDecay);
        m.put("trainStore", trainStore().getFileName().toString());
        m.put("fromBert", fromBert == null ? "none" : fromBert.toAbsolutePath().normalize().toString());
        m.put("spanMask", Boolean.toString(spanMask));
        m.put("predictFeature", Boolean.toString(predictFeature));
        m.put("lossWeights", textWeight + "," + imageWeight + "," + itmWeight);
        m.put("bertLrFactor", Double.toString(bertLrFactor));
        m.put("maxSeqLength", Integer.toString(maxSeqLength));
        m.put("regions", Integer.toString(regions));
        run.record(m);
        return m;
    }

    public PretrainSettings withModel(ModelSize s, Path c) {
        return new PretrainSettings(data, vocab, c, s, fromBert, lr, batchSize, epochs, warmup, spanMask, predictFeature, textWeight,
                imageWeight, itmWeight, weightDecayRule, weightDecay, bertLrFactor, rank, maxSeqLength, regions, run);
    }

    public PretrainSettings withTraining(double l, int batch, int e) {
        return new PretrainSettings(data, vocab, config, size, fromBert, l, batch, e, warmup, spanMask, predictFeature, textWeight,
                imageWeight, itmWeight, weightDecayRule, weightDecay, bertLrFactor, rank, maxSeqLength, regions, run);
    }

    public PretrainSettings withRun(RunOptions r) {
        return new PretrainSettings(data, vocab, config, size, fromBert, lr, batchSize, epochs, warmup, spanMask, predictFeature, textWeight,
                imageWeight, itmWeight, weightDecayRule, weightDecay, bertLrFactor, rank, maxSeqLength, regions, r);
    }
}

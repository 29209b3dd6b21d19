package dev.groundwork.models.interbert.recipe;

import dev.groundwork.models.train.InvalidSettingException;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checks every fine-tuning task's settings share (Flickr30K, VCR); each names the setting it refuses. */
final class FineTuneChecks {
    private FineTuneChecks() {}

    static void common(String task, Path data, Path vocab, Path config, Path init, int regionClasses, double lr, int batchSize,
                       int epochs, double warmup, double emaDecay, double weightDecay, RunOptions run) {
        InvalidSettingException.check(data != null && Files.isDirectory(data), "data", "must name the " + task + " folder, got " + data);
        InvalidSettingException.check(vocab != null && Files.isRegularFile(vocab), "vocab", "names no file: " + vocab);
        InvalidSettingException.check(config == null || Files.isRegularFile(config), "config", "names no file: " + config);
        InvalidSettingException.check(init == null || Files.exists(init), "init", "names nothing: " + init);
        InvalidSettingException.check(regionClasses > 0, "regionClasses", "must be positive, got " + regionClasses);
        InvalidSettingException.check(lr > 0 && Double.isFinite(lr), "lr", "must be positive, got " + lr);
        InvalidSettingException.check(batchSize > 0, "batchSize", "must be positive, got " + batchSize);
        InvalidSettingException.check(epochs > 0, "epochs", "must be positive, got " + epochs);
        InvalidSettingException.check(warmup >= 0 && warmup < 1, "warmup", "must be in [0, 1), got " + warmup);
        InvalidSettingException.check(emaDecay == 0 || (emaDecay > 0 && emaDecay < 1), "emaDecay", "must be 0 (off) or in (0, 1), got " + emaDecay);
        InvalidSettingException.check(weightDecay >= 0, "weightDecay", "must not be negative, got " + weightDecay);
        InvalidSettingException.check(run != null, "run", "must be given");
    }

    static void headDropout(double p) {
        InvalidSettingException.check(p >= 0 && p < 1, "headDropout", "must be in [0, 1), got " + p);
    }
}

package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.BadRecordPolicy;
import dev.groundwork.models.train.InvalidSettingException;

import java.nio.file.Path;
import java.util.Map;

/**
 * What every InterBERT run shares: where it writes, whether it resumes, its seed (chosen, logged and
 * recorded: the original sets none in fine-tuning, spec 8.22), the device, loading threads, step records,
 * limits and the bad-record policy. Only the seed changes what the run computes.
 */
public record RunOptions(Path expDir, boolean resume, long seed, Device device, int workers, int logEverySteps, long maxSteps,
                         int saveEverySteps, BadRecordPolicy badRecords) {
    public RunOptions {
        InvalidSettingException.check(expDir != null, "expDir", "must be given (where checkpoints and metrics go)");
        InvalidSettingException.check(workers >= 0, "workers", "must be 0 or more, got " + workers);
        InvalidSettingException.check(logEverySteps >= 0, "logEverySteps", "must be 0 (off) or positive, got " + logEverySteps);
        InvalidSettingException.check(maxSteps >= 0, "maxSteps", "must be 0 (no limit) or positive, got " + maxSteps);
        InvalidSettingException.check(saveEverySteps >= 0, "saveEverySteps", "must be 0 or positive, got " + saveEverySteps);
        if (device == null) device = Device.CPU;
        if (badRecords == null) badRecords = BadRecordPolicy.FAIL;
    }

    /** A fresh run in {@code expDir} with {@code seed}: CPU, loading on the training thread, no limits. */
    public static RunOptions of(Path expDir, long seed) {
        return new RunOptions(expDir, false, seed, Device.CPU, 0, 0, 0, 0, BadRecordPolicy.FAIL);
    }

    public RunOptions withResume(boolean r) {
        return new RunOptions(expDir, r, seed, device, workers, logEverySteps, maxSteps, saveEverySteps, badRecords);
    }

    public RunOptions withMaxSteps(long n) {
        return new RunOptions(expDir, resume, seed, device, workers, logEverySteps, n, saveEverySteps, badRecords);
    }

    public RunOptions withDevice(Device d) {
        return new RunOptions(expDir, resume, seed, d, workers, logEverySteps, maxSteps, saveEverySteps, badRecords);
    }

    public RunOptions withExpDir(Path d) {
        return new RunOptions(d, resume, seed, device, workers, logEverySteps, maxSteps, saveEverySteps, badRecords);
    }

    /**
     * What every InterBERT recipe records of itself in its checkpoints (a resume with other values is
     * refused): the task, its data, vocabulary and network, and the optimizer's settings.
     */
    static java.util.TreeMap<String, String> recorded(String task, Path data, Path vocab, Path config, ModelSize size, double lr, int batchSize,
                                                      double warmup, WeightDecayRule rule, double weightDecay) {
        java.util.TreeMap<String, String> m = new java.util.TreeMap<>();
        m.put("task", task);
        m.put("data", data.toAbsolutePath().normalize().toString());
        m.put("vocab", vocab.toAbsolutePath().normalize().toString());
        m.put("config", config == null ? size.id() : config.toAbsolutePath().normalize().toString());
        m.put("lr", Double.toString(lr));
        m.put("batchSize", Integer.toString(batchSize));
        m.put("warmup", Double.toString(warmup));
        m.put("weightDecayRule", rule.id());
        m.put("weightDecay", Double.toString(weightDecay));
        return m;
    }

    /** The settings that steer the run rather than what it computes, for the checkpoint's record. */
    void record(Map<String, String> m) {
        m.put("seed", Long.toString(seed));
        m.put("workers", Integer.toString(workers));
        m.put("device", device.toString());
        m.put("badRecords", badRecords.name());
    }
}

package dev.groundwork.models.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run's loop settings. The recipe that owns a stage fills them (VG-BERT:
 * {@code models.vgbert.recipe.Stage}); errors name the setting, and a command line maps the names to
 * its flags.
 *
 * @param epochs        total epochs (a resumed run continues up to this)
 * @param optimizer     builds the optimizer from the task's parameter groups
 * @param schedule      the learning rate per epoch or per step
 * @param expDir        where checkpoint.safetensors, best.safetensors and metrics.jsonl go
 * @param resume        continue from expDir/checkpoint.safetensors
 * @param progress      where the progress line and the step lines go (null: silent)
 * @param label         the progress line's prefix, stamped into every checkpoint ({@link TrainedTask})
 * @param logEverySteps every this many optimizer steps a step record goes to metrics.jsonl and a line
 *                      to the progress output (0: off)
 * @param maxSteps      stop after this many optimizer steps in total, counting those before a resume
 *                      (0: no limit); see {@link Trainer} for what a stop mid-epoch writes
 * @param saveEverySteps also write a mid-epoch checkpoint every this many steps (0: only at epoch ends)
 * @param stop          polled every step: when requested, the run stops with a resumable checkpoint
 * @param settings      the run's settings by name, as the recipe states them (lr, batch size, seed...):
 *                      kept in the checkpoint so that a resume can tell what changed (see {@link Trainer})
 * @param emaDecay      0: off; else an exponential moving average of the trainable weights with this decay,
 *                      updated after every optimizer step, used for validation and written beside the raw
 *                      weights as {@code best_ema.safetensors} (InterBERT's fine-tuning, spec 4.4)
 * @param parallel      the data-parallel group this process trains in ({@link DataParallel#none()}: alone);
 *                      the batch sources must then hold this rank's shard of each global batch
 */
public record TrainerConfig(int epochs, OptimizerFactory optimizer, Schedule schedule, Path expDir, boolean resume,
                            PrintStream progress, String label, int logEverySteps, long maxSteps, int saveEverySteps,
                            StopRequest stop, Map<String, String> settings, DataParallel parallel, double emaDecay) {

    public TrainerConfig {
        InvalidSettingException.check(epochs > 0, "epochs", "must be a positive integer, got " + epochs);
        InvalidSettingException.check(optimizer != null, "optimizer", "must be given (a factory of the run's optimizer)");
        InvalidSettingException.check(schedule != null, "schedule", "must be given (the learning rate per epoch or per step)");
        InvalidSettingException.check(expDir != null, "expDir", "must be given (where the checkpoint and metrics go)");
        InvalidSettingException.check(logEverySteps >= 0, "logEverySteps", "must be 0 (off) or a positive integer, got " + logEverySteps);
        InvalidSettingException.check(maxSteps >= 0, "maxSteps", "must be 0 (no limit) or a positive integer, got " + maxSteps);
        InvalidSettingException.check(saveEverySteps >= 0, "saveEverySteps", "must be 0 (epoch ends only) or a positive integer, got " + saveEverySteps);
        if (stop == null) stop = new StopRequest();
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
        if (parallel == null) parallel = DataParallel.none();
        InvalidSettingException.check(emaDecay == 0 || (emaDecay > 0 && emaDecay < 1), "emaDecay", "must be 0 (off) or in (0, 1), got " + emaDecay);
    }

    public TrainerConfig(int epochs, OptimizerFactory optimizer, Schedule schedule, Path expDir, boolean resume,
                         PrintStream progress, String label, int logEverySteps, long maxSteps, int saveEverySteps,
                         StopRequest stop, Map<String, String> settings) {
        this(epochs, optimizer, schedule, expDir, resume, progress, label, logEverySteps, maxSteps, saveEverySteps, stop, settings, null, 0);
    }

    public TrainerConfig(int epochs, OptimizerFactory optimizer, Schedule schedule, Path expDir, boolean resume,
                         PrintStream progress, String label, int logEverySteps, long maxSteps) {
        this(epochs, optimizer, schedule, expDir, resume, progress, label, logEverySteps, maxSteps, 0, null, null, null, 0);
    }

    /** A fresh run: no resume, progress on stderr labelled "train", no step records, no step limit. */
    public static TrainerConfig of(int epochs, OptimizerFactory optimizer, Schedule schedule, Path expDir) {
        return new TrainerConfig(epochs, optimizer, schedule, expDir, false, System.err, "train", 0, 0, 0, null, null, null, 0);
    }

    public TrainerConfig withProgress(PrintStream out, String l) {
        return new TrainerConfig(epochs, optimizer, schedule, expDir, resume, out, l, logEverySteps, maxSteps, saveEverySteps, stop, settings, parallel, emaDecay);
    }

    public TrainerConfig withResume(boolean r) {
        return new TrainerConfig(epochs, optimizer, schedule, expDir, r, progress, label, logEverySteps, maxSteps, saveEverySteps, stop, settings, parallel, emaDecay);
    }

    public TrainerConfig withEpochs(int e) {
        return new TrainerConfig(e, optimizer, schedule, expDir, resume, progress, label, logEverySteps, maxSteps, saveEverySteps, stop, settings, parallel, emaDecay);
    }

    public TrainerConfig withLogEverySteps(int n) {
        return new TrainerConfig(epochs, optimizer, schedule, expDir, resume, progress, label, n, maxSteps, saveEverySteps, stop, settings, parallel, emaDecay);
    }

    public TrainerConfig withMaxSteps(long n) {
        return new TrainerConfig(epochs, optimizer, schedule, expDir, resume, progress, label, logEverySteps, n, saveEverySteps, stop, settings, parallel, emaDecay);
    }

    public TrainerConfig withSaveEverySteps(int n) {
        return new TrainerConfig(epochs, optimizer, schedule, expDir, resume, progress, label, logEverySteps, maxSteps, n, stop, settings, parallel, emaDecay);
    }

    public TrainerConfig withStop(StopRequest s) {
        return new TrainerConfig(epochs, optimizer, schedule, expDir, resume, progress, label, logEverySteps, maxSteps, saveEverySteps, s, settings, parallel, emaDecay);
    }

    public TrainerConfig withParallel(DataParallel p) {
        return new TrainerConfig(epochs, optimizer, schedule, expDir, resume, progress, label, logEverySteps, maxSteps, saveEverySteps, stop, settings, p, emaDecay);
    }

    public TrainerConfig withEma(double decay) {
        return new TrainerConfig(epochs, optimizer, schedule, expDir, resume, progress, label, logEverySteps, maxSteps, saveEverySteps, stop, settings, parallel, decay);
    }

    public TrainerConfig withSettings(Map<String, String> s) {
        return new TrainerConfig(epochs, optimizer, schedule, expDir, resume, progress, label, logEverySteps, maxSteps, saveEverySteps, stop, s, parallel, emaDecay);
    }
}

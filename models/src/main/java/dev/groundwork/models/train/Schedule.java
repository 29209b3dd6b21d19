package dev.groundwork.models.train;

import dev.groundwork.engine.optim.LrSchedule;
import dev.groundwork.engine.optim.Optimizer;

/**
 * An {@link LrSchedule} and the counter it is fed. An {@link LrSchedule} is a function of one counter t
 * and each says which one it means: {@code StepLr} counts epochs (set once at the start of every
 * epoch, as VG-BERT's stages do), {@code WarmupLinear} counts updates already made (set before every
 * optimizer step, as BERT does). The trainer asks this object at both points and it acts at the one
 * its schedule counts, so a resumed run sets the same lr as the uninterrupted one: epochs and steps
 * are both restored from the checkpoint.
 */
public record Schedule(LrSchedule schedule, Counter counter) {
    /** What t counts. */
    public enum Counter {
        /** 0-based epoch index, set at the start of each epoch. */
        EPOCH,
        /** Optimizer steps already made (0 before the first), set before each step. */
        STEP
    }

    public Schedule {
        if (schedule == null || counter == null) throw new IllegalArgumentException("a schedule needs an LrSchedule and its counter");
    }

    public static Schedule perEpoch(LrSchedule s) { return new Schedule(s, Counter.EPOCH); }

    public static Schedule perStep(LrSchedule s) { return new Schedule(s, Counter.STEP); }

    void beforeEpoch(Optimizer opt, int epochIndex) {
        if (counter == Counter.EPOCH) schedule.apply(opt, epochIndex);
    }

    void beforeStep(Optimizer opt, long stepsDone) {
        if (counter == Counter.STEP) schedule.apply(opt, stepsDone);
    }
}

package dev.groundwork.engine.optim;

/**
 * A learning rate as a function of a step or epoch counter t. Most schedules are multipliers of
 * each group's initial lr; an absolute schedule overrides {@link #lr(double, long)}.
 * Call {@link #apply} before the step (or epoch) it is meant for; each implementation says which
 * counter it expects and whether it starts at 0.
 */
public interface LrSchedule {
    /** Factor applied to a group's initial lr at t. */
    double multiplier(long t);

    /** The lr of a group that started at initialLr. */
    default double lr(double initialLr, long t) { return initialLr * multiplier(t); }

    /** Sets every group's lr for t. */
    default void apply(Optimizer optimizer, long t) {
        for (int g = 0; g < optimizer.paramGroups().size(); g++) optimizer.setLr(g, lr(optimizer.initialLr(g), t));
    }
}

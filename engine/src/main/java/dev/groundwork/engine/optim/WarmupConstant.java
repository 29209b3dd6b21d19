package dev.groundwork.engine.optim;

import java.util.Arrays;

/**
 * Linear warmup from 0 to 1 over warmupSteps, then constant, multiplied by gamma at each milestone
 * reached (t >= milestone). Warmup and milestones count the same t, whatever {@link #apply} is fed
 * (updates or epochs); t = 0 is the first, so with warmup the first lr is 0.
 */
public record WarmupConstant(long warmupSteps, double gamma, long[] milestones) implements LrSchedule {
    public WarmupConstant {
        if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        milestones = milestones.clone();
        for (int i = 1; i < milestones.length; i++)
            if (milestones[i] <= milestones[i - 1]) throw new IllegalArgumentException("milestones must increase: " + Arrays.toString(milestones));
    }

    public WarmupConstant(long warmupSteps) { this(warmupSteps, 1, new long[0]); }

    @Override
    public long[] milestones() { return milestones.clone(); }

    @Override
    public double multiplier(long t) {
        double m = t < warmupSteps ? (double) t / warmupSteps : 1;
        for (long s : milestones) if (t >= s) m *= gamma;
        return m;
    }
}

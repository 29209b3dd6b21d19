package dev.groundwork.engine.optim;

/**
 * BERT's schedule: the multiplier rises linearly from 0 to 1 over warmupSteps, then falls linearly
 * to 0 at totalSteps (and stays 0). t is the number of updates already made, so the first update
 * uses t = 0 and, with warmup, lr 0, as in Google's BERT and pytorch-pretrained-bert.
 *
 * <p>The decay runs from the end of warmup (pytorch-pretrained-bert's WarmupLinearSchedule, HF's
 * linear schedule). Google's TF code instead decays 1 - t/total from step 0 and lets warmup
 * override it, which jumps at the end of warmup; the two agree when warmup is short.
 */
public record WarmupLinear(long warmupSteps, long totalSteps) implements LrSchedule {
    public WarmupLinear {
        if (warmupSteps < 0 || totalSteps <= warmupSteps)
            throw new IllegalArgumentException("need 0 <= warmupSteps < totalSteps, got " + warmupSteps + " and " + totalSteps);
    }

    @Override
    public double multiplier(long t) {
        if (t < warmupSteps) return (double) t / warmupSteps;
        return Math.max(0, (double) (totalSteps - t) / (totalSteps - warmupSteps));
    }
}

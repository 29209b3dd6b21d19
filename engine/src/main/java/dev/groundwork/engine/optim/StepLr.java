package dev.groundwork.engine.optim;

/**
 * Step decay by epoch: lr = lr0 * gamma^floor(e / stepSize).
 *
 * <p>{@link #multiplier(long)} takes the 0-based epoch index of the training loop (0 for the first
 * epoch). Papers differ in how they number epochs in this formula, hence {@code oneBased}: when
 * set, e = index + 1. VG-BERT stages 2 and 3 use lr0 * 0.5^floor(e / 15) with 1-based e, i.e.
 * {@code new StepLr(15, 0.5, true)}: epochs 1-14 run at lr0, 15-29 at lr0/2, 30-44 at lr0/4
 * (the first decay comes after 14 epochs, not 15). Stage 1 uses 0-based e with a step of 20,
 * {@code new StepLr(20, 0.5, false)}: epochs 0-19 at lr0, 20-39 at lr0/2.
 */
public record StepLr(int stepSize, double gamma, boolean oneBased) implements LrSchedule {
    public StepLr {
        if (stepSize <= 0) throw new IllegalArgumentException("stepSize must be positive, got " + stepSize);
    }

    @Override
    public double multiplier(long epochIndex) {
        if (epochIndex < 0) throw new IllegalArgumentException("epoch index must be >= 0, got " + epochIndex);
        long e = oneBased ? epochIndex + 1 : epochIndex;
        return Math.pow(gamma, e / stepSize);
    }
}

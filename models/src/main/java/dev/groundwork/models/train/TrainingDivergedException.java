package dev.groundwork.models.train;

/** The running loss became NaN (or infinite): the original stops with "training diverged" (§6.1). */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(int epoch, long step, double runningLoss) {
        super("training diverged: running average loss is " + runningLoss + " at epoch " + epoch + ", step " + step);
    }

    public TrainingDivergedException(String message) { super(message); }
}

package dev.groundwork.models.train;

import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.LrSchedule;
import dev.groundwork.engine.optim.Optimizer;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.optim.Sgd;
import dev.groundwork.engine.optim.StepLr;
import dev.groundwork.engine.tensor.Tensor;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * One stage's loop settings (§6.1-6.2, §1.6).
 *
 * @param epochs   total epochs (a resumed run continues up to this)
 * @param adam     Adam (stages 2/3/transfer) or SGD with momentum (stage 1)
 * @param lr       base learning rate lr0
 * @param schedule learning rate per 0-based epoch index, applied at the start of each epoch
 * @param expDir   where checkpoint.safetensors, best.safetensors and metrics.jsonl go
 * @param resume   continue from expDir/checkpoint.safetensors
 * @param progress where the progress line goes (null: silent)
 * @param label    the progress line's prefix
 */
public record TrainerConfig(int epochs, boolean adam, double lr, double weightDecay, LrSchedule schedule, Path expDir,
                            boolean resume, PrintStream progress, String label) {

    public TrainerConfig {
        if (epochs <= 0) throw new IllegalArgumentException("--n-epochs must be a positive integer, got " + epochs);
        if (!(lr > 0)) throw new IllegalArgumentException("--learning-rate must be positive, got " + lr);
    }

    /**
     * Stages 2, 3 and transfer (§6.1): Adam with betas (0.95, 0.999), eps 1e-8, L2 weight decay 5e-7
     * added to the gradient (torch Adam, not AdamW), lr0 * 0.5^floor(e / decayEvery) with 1-based e
     * (§9.18: decayEvery 15 for stages 2/3, 30 for transfer; first decay after decayEvery-1 epochs).
     */
    public static TrainerConfig adam(int epochs, double lr, int decayEvery, Path expDir, boolean resume) {
        return new TrainerConfig(epochs, true, lr, 5e-7, new StepLr(decayEvery, 0.5, true), expDir, resume, System.err, "train");
    }

    /** Stage 1 (§1.6): SGD momentum 0.9, weight decay 1e-4 on every parameter (§9.29), lr0 * 0.5^floor(e/20), 0-based e. */
    public static TrainerConfig sgd(int epochs, double lr, Path expDir, boolean resume) {
        return new TrainerConfig(epochs, false, lr, 1e-4, new StepLr(20, 0.5, false), expDir, resume, System.err, "train");
    }

    public TrainerConfig withProgress(PrintStream out, String label) {
        return new TrainerConfig(epochs, adam, lr, weightDecay, schedule, expDir, resume, out, label);
    }

    public TrainerConfig withResume(boolean r) {
        return new TrainerConfig(epochs, adam, lr, weightDecay, schedule, expDir, r, progress, label);
    }

    public TrainerConfig withEpochs(int e) {
        return new TrainerConfig(e, adam, lr, weightDecay, schedule, expDir, resume, progress, label);
    }

    /** One group over the trainable parameters only; no clipping, no warm-up (§6.1). */
    Optimizer optimizer(List<Tensor> trainable) {
        List<ParamGroup> g = List.of(ParamGroup.of(trainable));
        return adam
                ? new Adam(g, new Adam.Options(lr, 0.95, 0.999, 1e-8, weightDecay))
                : new Sgd(g, Sgd.Options.of(lr).withMomentum(0.9).withWeightDecay(weightDecay));
    }
}

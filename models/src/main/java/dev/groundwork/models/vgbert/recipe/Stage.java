package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.Sgd;
import dev.groundwork.engine.optim.StepLr;
import dev.groundwork.models.train.OptimizerFactory;
import dev.groundwork.models.train.Schedule;

/**
 * The four VG-BERT training stages with the README's hyper-parameters (spec §8.1-8.3): learning rate,
 * batch, epochs, dropout, the BERT layers left learnable (paper preset; the 2-layer demo BERT has its
 * own), and the optimizer with its schedule (§1.6, §6.1).
 */
public enum Stage {
    VISUAL("visual", 0.01, 200, 200, 0.1, 0, 0, 20),
    TWO_STREAM("two-stream", 5e-5, 180, 100, 0.3, 8, 2, 15),
    RELATIONAL("relational", 1e-5, 180, 150, 0.1, 2, 1, 15),
    RETRIEVAL("retrieval", 5e-5, 300, 150, 0.1, 0, 0, 30);

    /** Stages 2, 3 and transfer (§6.1): Adam betas (0.95, 0.999), eps 1e-8, L2 weight decay 5e-7 added to the gradient. */
    static final double ADAM_BETA1 = 0.95, ADAM_BETA2 = 0.999, ADAM_EPS = 1e-8, ADAM_WEIGHT_DECAY = 5e-7;
    /** Stage 1 (§1.6, §9.29): SGD momentum 0.9, weight decay 1e-4 on every parameter. */
    static final double SGD_MOMENTUM = 0.9, SGD_WEIGHT_DECAY = 1e-4;
    /** Every stage halves its lr at each decay (--lr-ratio 0.5). */
    static final double LR_RATIO = 0.5;

    private final String id;
    private final double lr, dropout;
    private final int batch, epochs, learnablePaper, learnableDemo, decayEvery;

    Stage(String id, double lr, int batch, int epochs, double dropout, int learnablePaper, int learnableDemo, int decayEvery) {
        this.id = id;
        this.lr = lr;
        this.batch = batch;
        this.epochs = epochs;
        this.dropout = dropout;
        this.learnablePaper = learnablePaper;
        this.learnableDemo = learnableDemo;
        this.decayEvery = decayEvery;
    }

    /** The stage's name on the command line and its experiment folder in the demo ("two-stream"). */
    public String id() { return id; }

    public double lr() { return lr; }

    public int batchSize() { return batch; }

    public int epochs() { return epochs; }

    /** --dropout-rate (§8.1; stage 2's BERT keeps its fixed 0.3 whatever this says). */
    public double dropout() { return dropout; }

    /** --base-model-learnable-layers of the preset (0 for stages that freeze all of BERT or have none). */
    public int learnableLayers(Preset preset) { return preset == Preset.DEMO ? learnableDemo : learnablePaper; }

    /** Epochs between lr halvings. */
    public int decayEvery() { return decayEvery; }

    /** Stage 1: SGD with momentum; the others: Adam with L2 weight decay. */
    public OptimizerFactory optimizer(double lr) {
        return this == VISUAL
                ? OptimizerFactory.sgd(Sgd.Options.of(lr).withMomentum(SGD_MOMENTUM).withWeightDecay(SGD_WEIGHT_DECAY))
                : OptimizerFactory.adam(new Adam.Options(lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS, ADAM_WEIGHT_DECAY));
    }

    /**
     * lr0 · 0.5^⌊e / d⌋ set at the start of each epoch: stage 1 with 0-based e (§1.6), the others with
     * 1-based e (§6.1, §9.18: the first decay comes after d - 1 epochs). No warm-up anywhere.
     */
    public Schedule schedule() { return Schedule.perEpoch(new StepLr(decayEvery, LR_RATIO, this != VISUAL)); }
}

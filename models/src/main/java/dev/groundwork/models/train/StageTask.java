package dev.groundwork.models.train;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;

import java.util.Map;

/** What the {@link Trainer} needs from one training stage: the model, a loss per batch, and how to pick the best epoch. */
public interface StageTask<B> {
    /** The module whose trainable parameters are optimised and whose state is checkpointed. */
    Module model();

    /** Forward pass and losses for one batch; the trainer calls backward on {@link StepOutput#loss()}. */
    StepOutput step(B batch);

    /** The validation metric that selects best.safetensors (§6.2). */
    Selection selection();

    /** Every random generator the model draws from (dropout), by name, for checkpoints. */
    Map<String, Generator> generators();
}

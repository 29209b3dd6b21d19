package dev.groundwork.models.train;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.random.Generator;

import java.util.List;
import java.util.Map;

/** What the {@link Trainer} needs from one training stage: the model, a loss per batch, and how to pick the best epoch. */
public interface StageTask<B> {
    /** The module whose trainable parameters are optimised and whose state is checkpointed. */
    Module model();

    /** Forward pass and losses for one batch; the trainer calls backward on {@link StepOutput#loss()}. */
    StepOutput step(B batch);

    /** The validation metric that selects best.safetensors (§6.2). */
    Selection selection();

    /**
     * The parameter groups the optimizer is built from: by default one group of every trainable
     * parameter (VG-BERT, §6.1). A task that excludes some parameters from weight decay (BERT's biases
     * and LayerNorms) returns its own groups.
     */
    default List<ParamGroup> paramGroups() { return List.of(ParamGroup.of(model().trainableParameters())); }

    /** A fresh collector of the whole-set validation metrics (R@K), or null for none: the batch means only. */
    default SetMetrics<B> validationSet() { return null; }

    /** Every random generator the model draws from (dropout), by name, for checkpoints. */
    Map<String, Generator> generators();
}

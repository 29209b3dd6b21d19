package dev.groundwork.models.train;

import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.AdamW;
import dev.groundwork.engine.optim.BertAdam;
import dev.groundwork.engine.optim.Optimizer;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.optim.Sgd;

import java.util.List;

/**
 * How a run builds its optimizer: parameter groups in (the task's, see {@link StageTask#paramGroups()}),
 * optimizer out. The factories below carry every hyper-parameter of their optimizer's {@code Options};
 * a recipe picks one per stage (VG-BERT: {@link #sgd} for stage 1, {@link #adam} for the others; BERT
 * fine-tuning and InterBERT: {@link #bertAdam}).
 */
@FunctionalInterface
public interface OptimizerFactory {
    Optimizer create(List<ParamGroup> groups);

    static OptimizerFactory sgd(Sgd.Options options) { return groups -> new Sgd(groups, options); }

    /** torch.optim.Adam: L2 weight decay added to the gradient. */
    static OptimizerFactory adam(Adam.Options options) { return groups -> new Adam(groups, options); }

    /** torch.optim.AdamW: decoupled weight decay. */
    static OptimizerFactory adamW(Adam.Options options) { return groups -> new AdamW(groups, options); }

    /** BERT's optimizer: no bias correction, per-tensor gradient clipping; drive its lr with a per-step warm-up schedule. */
    static OptimizerFactory bertAdam(BertAdam.Options options) { return groups -> new BertAdam(groups, options); }
}

package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;

import java.util.List;

/**
 * AdamW as torch.optim.AdamW: decoupled weight decay shrinks the parameter, p *= 1 - lr * wd,
 * before the plain Adam update, so the decay is not rescaled by the adaptive denominator.
 * torch's default weight decay for AdamW is 0.01 ({@link #defaults(double)}).
 */
public final class AdamW extends Adam {
    public AdamW(List<ParamGroup> groups, Options defaults) { super("AdamW", groups, defaults); }

    public AdamW(List<Tensor> params, double lr) { this(List.of(ParamGroup.of(params)), defaults(lr)); }

    /** torch's AdamW defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static Options defaults(double lr) { return Options.of(lr).withWeightDecay(0.01); }

    @Override
    boolean decoupled() { return true; }
}

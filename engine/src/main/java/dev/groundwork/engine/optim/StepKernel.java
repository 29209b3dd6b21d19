package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;

/**
 * A backend's fused optimizer update ({@code param.backend().kernel(StepKernel.class)}): one pass
 * over a parameter, its gradient and its state, in place, instead of the op-by-op composition of
 * each optimizer's {@code update}, which allocates about fourteen parameter-sized temporaries per
 * step. Absent (null), or not covering the tensors, the optimizer composes; that composition is
 * the reference every implementation is tested against.
 *
 * <p>Contract for implementations: the same float32 operations in the same order as the
 * composition, with its scalars rounded to float32 as the composition rounds them (the record
 * methods below), so the CPU kernel is bit-identical to the composition; no memory allocated per
 * call (the CUDA kernel sizes its scratch once).
 */
public interface StepKernel {
    /**
     * Whether this kernel updates these tensors in place (its device, float32, contiguous); when not,
     * the optimizer composes this step. State buffers the optimizer creates for a covered parameter
     * ({@code Tensor.zerosLike(param)}) are covered too.
     */
    boolean covers(Tensor... tensors);

    /**
     * One SGD step ({@link Sgd}). momentumBuffer is null when momentum is 0; firstStep: the buffer
     * holds nothing yet and takes the (decayed) gradient itself, as torch's does.
     */
    void sgd(SgdRule rule, Tensor param, Tensor grad, Tensor momentumBuffer, boolean firstStep);

    /** One Adam or AdamW step ({@link Adam}, {@link AdamW}); step is 1-based. The moments start as zeros. */
    void adam(AdamRule rule, long step, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq);

    /**
     * One BertAdam step ({@link BertAdam}): with maxGradNorm > 0 the gradient is first scaled in place
     * as {@link GradClip#clipGradNorm} scales a single tensor, then the moments, no bias correction,
     * and the decoupled weight decay added to the update.
     */
    void bertAdam(BertAdamRule rule, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq);

    /** torch.optim.SGD's hyper-parameters. */
    record SgdRule(double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        static SgdRule of(ParamGroup g) {
            return new SgdRule(g.get(ParamGroup.LR), g.get(Sgd.MOMENTUM), g.get(Sgd.DAMPENING), g.get(Sgd.NESTEROV) != 0,
                    g.get(ParamGroup.WEIGHT_DECAY));
        }

        /** The factor of the new gradient in the momentum buffer, 1 - dampening, as a float. */
        public float undamped() { return (float) (1 - dampening); }
    }

    /** torch.optim.Adam's (decoupled = false: L2 added to the gradient) or AdamW's hyper-parameters. */
    record AdamRule(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        static AdamRule of(ParamGroup g, boolean decoupled) {
            return new AdamRule(g.get(ParamGroup.LR), g.get(Adam.BETA1), g.get(Adam.BETA2), g.get(Adam.EPS),
                    g.get(ParamGroup.WEIGHT_DECAY), decoupled);
        }

        /** lr / (1 - beta1^t): the bias-corrected step size, rounded once. */
        public float stepSize(long t) { return (float) (lr / (1 - Math.pow(beta1, t))); }

        /** sqrt(1 - beta2^t), rounded once. */
        public float sqrtBiasCorrection2(long t) { return (float) Math.sqrt(1 - Math.pow(beta2, t)); }

        /** AdamW's shrink factor 1 - lr * wd (1 when coupled or without decay). */
        public float decayFactor() { return decoupled && weightDecay != 0 ? (float) (1 - lr * weightDecay) : 1f; }
    }

    /** pytorch-pretrained-bert's BertAdam hyper-parameters; maxGradNorm <= 0 turns the per-tensor clipping off. */
    record BertAdamRule(double lr, double beta1, double beta2, double eps, double weightDecay, double maxGradNorm) {
        static BertAdamRule of(ParamGroup g) {
            return new BertAdamRule(g.get(ParamGroup.LR), g.get(Adam.BETA1), g.get(Adam.BETA2), g.get(Adam.EPS),
                    g.get(ParamGroup.WEIGHT_DECAY), g.get(BertAdam.MAX_GRAD_NORM));
        }
    }
}

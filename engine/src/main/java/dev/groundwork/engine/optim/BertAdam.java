package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The original BERT optimizer (Google's AdamWeightDecayOptimizer, pytorch-pretrained-bert's
 * BertAdam): Adam without bias correction and with decoupled weight decay added to the update,
 * <pre>
 *   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g g
 *   p -= lr * (m / (sqrt(v) + eps) + wd p)
 * </pre>
 * Differences from the originals, on purpose:
 * <ul>
 *   <li>The originals compute their warmup/decay schedule inside the optimizer. Here the lr comes
 *       from the group, so drive it with an {@link LrSchedule} (BERT: {@link WarmupLinear}).</li>
 *   <li>Google excludes LayerNorm and bias parameters from weight decay by name; here put them in
 *       a param group with weight decay 0.</li>
 *   <li>pytorch-pretrained-bert clips each parameter's gradient to norm {@code max_grad_norm}
 *       (default 1.0) before the update; that is kept as a hyper-parameter ({@code <= 0} turns it
 *       off). Google's scripts instead clip the global norm to 1.0: use {@link GradClip#clipGradNorm}
 *       before {@link #step()} and set max_grad_norm to 0.</li>
 * </ul>
 * The moments are stored as {@code exp_avg}/{@code exp_avg_sq} (BertAdam's next_m/next_v) so all
 * Adam-family state dicts read alike.
 */
public final class BertAdam extends Optimizer {
    public static final String MAX_GRAD_NORM = "max_grad_norm";

    /** Defaults for every group. */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, double maxGradNorm) {
        /** BertAdam's defaults: betas (0.9, 0.999), eps 1e-6, weight decay 0.01, per-tensor clip 1.0. */
        public static Options of(double lr) { return new Options(lr, 0.9, 0.999, 1e-6, 0.01, 1.0); }

        public Options withBetas(double b1, double b2) { return new Options(lr, b1, b2, eps, weightDecay, maxGradNorm); }

        public Options withEps(double e) { return new Options(lr, beta1, beta2, e, weightDecay, maxGradNorm); }

        public Options withWeightDecay(double wd) { return new Options(lr, beta1, beta2, eps, wd, maxGradNorm); }

        public Options withMaxGradNorm(double n) { return new Options(lr, beta1, beta2, eps, weightDecay, n); }

        Map<String, Double> toMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(ParamGroup.LR, lr);
            m.put(Adam.BETA1, beta1);
            m.put(Adam.BETA2, beta2);
            m.put(Adam.EPS, eps);
            m.put(ParamGroup.WEIGHT_DECAY, weightDecay);
            m.put(MAX_GRAD_NORM, maxGradNorm);
            return m;
        }
    }

    public BertAdam(List<ParamGroup> groups, Options defaults) { super("BertAdam", groups, defaults.toMap()); }

    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        Adam.checkBetas(name(), g);
    }

    @Override
    protected Set<String> stateNames(ParamGroup g) { return Set.of(Adam.EXP_AVG, Adam.EXP_AVG_SQ); }

    @Override
    protected void update(ParamGroup group, Tensor p, Tensor grad, ParamState st) {
        double lr = group.get(ParamGroup.LR), b1 = group.get(Adam.BETA1), b2 = group.get(Adam.BETA2);
        double eps = group.get(Adam.EPS), wd = group.get(ParamGroup.WEIGHT_DECAY), maxNorm = group.get(MAX_GRAD_NORM);
        StepKernel kernel = stepKernel(p, grad, st.get(Adam.EXP_AVG), st.get(Adam.EXP_AVG_SQ));
        if (kernel != null) {
            kernel.bertAdam(StepKernel.BertAdamRule.of(group), p, grad, st.getOrZeros(Adam.EXP_AVG, p), st.getOrZeros(Adam.EXP_AVG_SQ, p));
            return;
        }
        // Clips p.grad in place, as BertAdam does, so the caller sees the clipped gradient too.
        if (maxNorm > 0) GradClip.clipGradNorm(List.of(p), maxNorm);
        try (var tmp = new Temps()) {
            Tensor m = Moments.ema(st, Adam.EXP_AVG, b1, tmp.of(grad.mul(1 - b1)), tmp);
            Tensor v = Moments.ema(st, Adam.EXP_AVG_SQ, b2, tmp.of(tmp.of(grad.mul(1 - b2)).mul(grad)), tmp);
            Tensor u = tmp.of(m.div(tmp.of(tmp.of(v.sqrt()).add(eps))));
            if (wd > 0) u = tmp.of(u.add(tmp.of(p.mul(wd))));
            p.copy_(tmp.of(p.sub(tmp.of(u.mul(lr)))));
        }
    }
}

package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam as torch.optim.Adam: L2 weight decay is added to the gradient (g += wd p) before the moments,
 * so it is rescaled by the adaptive denominator (unlike {@link AdamW}). With bc_k = 1 - beta_k^t:
 * <pre>
 *   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g g
 *   p -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
 * </pre>
 * in that order of operations, which is torch's, so float results agree with torch to rounding.
 * VG-BERT trains with betas (0.95, 0.999), eps 1e-8 and weight decay 5e-7.
 */
public class Adam extends Optimizer {
    public static final String BETA1 = "beta1";
    public static final String BETA2 = "beta2";
    public static final String EPS = "eps";
    public static final String EXP_AVG = "exp_avg";
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    /** Defaults for every group. */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay) {
        /** torch's defaults for Adam: betas (0.9, 0.999), eps 1e-8, no weight decay. */
        public static Options of(double lr) { return new Options(lr, 0.9, 0.999, 1e-8, 0); }

        public Options withBetas(double b1, double b2) { return new Options(lr, b1, b2, eps, weightDecay); }

        public Options withEps(double e) { return new Options(lr, beta1, beta2, e, weightDecay); }

        public Options withWeightDecay(double wd) { return new Options(lr, beta1, beta2, eps, wd); }

        Map<String, Double> toMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(ParamGroup.LR, lr);
            m.put(BETA1, beta1);
            m.put(BETA2, beta2);
            m.put(EPS, eps);
            m.put(ParamGroup.WEIGHT_DECAY, weightDecay);
            return m;
        }
    }

    public Adam(List<ParamGroup> groups, Options defaults) { this("Adam", groups, defaults); }

    public Adam(List<Tensor> params, double lr) { this(List.of(ParamGroup.of(params)), Options.of(lr)); }

    Adam(String name, List<ParamGroup> groups, Options defaults) { super(name, groups, defaults.toMap()); }

    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        checkBetas(name(), g);
    }

    static void checkBetas(String name, ParamGroup g) {
        for (String k : new String[]{BETA1, BETA2})
            if (!(g.get(k) >= 0 && g.get(k) < 1)) throw new IllegalArgumentException(name + ": " + k + " must be in [0, 1), got " + g.get(k));
        if (!(g.get(EPS) >= 0)) throw new IllegalArgumentException(name + ": eps must be >= 0, got " + g.get(EPS));
    }

    @Override
    protected Set<String> stateNames(ParamGroup g) { return Set.of(EXP_AVG, EXP_AVG_SQ); }

    /** Whether weight decay shrinks the parameter (AdamW) instead of being added to the gradient (L2). */
    boolean decoupled() { return false; }

    @Override
    protected final void update(ParamGroup group, Tensor p, Tensor grad, ParamState st) {
        double lr = group.get(ParamGroup.LR), b1 = group.get(BETA1), b2 = group.get(BETA2), eps = group.get(EPS);
        double wd = group.get(ParamGroup.WEIGHT_DECAY);
        StepKernel kernel = stepKernel(p, grad, st.get(EXP_AVG), st.get(EXP_AVG_SQ));
        if (kernel != null) {
            kernel.adam(StepKernel.AdamRule.of(group, decoupled()), st.step(), p, grad,
                    st.getOrZeros(EXP_AVG, p), st.getOrZeros(EXP_AVG_SQ, p));
            return;
        }
        try (var tmp = new Temps()) {
            Tensor g = grad;
            if (wd != 0 && decoupled()) p.copy_(tmp.of(p.mul(1 - lr * wd)));
            else if (wd != 0) g = tmp.of(grad.add(tmp.of(p.mul(wd))));
            Tensor m = Moments.ema(st, EXP_AVG, b1, tmp.of(g.mul(1 - b1)), tmp);
            // (1 - b2) g * g, left to right, like torch's addcmul.
            Tensor v = Moments.ema(st, EXP_AVG_SQ, b2, tmp.of(tmp.of(g.mul(1 - b2)).mul(g)), tmp);
            long t = st.step();
            double stepSize = lr / (1 - Math.pow(b1, t));
            double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
            Tensor denom = tmp.of(tmp.div(tmp.of(v.sqrt()), bc2Sqrt).add(eps));
            p.copy_(tmp.of(p.sub(tmp.of(tmp.of(m.mul(stepSize)).div(denom)))));
        }
    }
}

package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with torch.optim.SGD semantics: weight decay is added to the
 * gradient (d = g + wd p); the momentum buffer starts as the first d itself (no dampening on that
 * step) and then follows b = mu b + (1 - dampening) d; nesterov steps along d + mu b; p -= lr * step.
 */
public final class Sgd extends Optimizer {
    public static final String MOMENTUM = "momentum";
    public static final String DAMPENING = "dampening";
    public static final String NESTEROV = "nesterov";
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    /** Defaults for every group; dampening 0 and nesterov off match torch. */
    public record Options(double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        public static Options of(double lr) { return new Options(lr, 0, 0, false, 0); }

        public Options withMomentum(double m) { return new Options(lr, m, dampening, nesterov, weightDecay); }

        public Options withDampening(double d) { return new Options(lr, momentum, d, nesterov, weightDecay); }

        public Options withNesterov(boolean n) { return new Options(lr, momentum, dampening, n, weightDecay); }

        public Options withWeightDecay(double wd) { return new Options(lr, momentum, dampening, nesterov, wd); }

        Map<String, Double> toMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(ParamGroup.LR, lr);
            m.put(MOMENTUM, momentum);
            m.put(DAMPENING, dampening);
            m.put(NESTEROV, nesterov ? 1.0 : 0.0);
            m.put(ParamGroup.WEIGHT_DECAY, weightDecay);
            return m;
        }
    }

    public Sgd(List<ParamGroup> groups, Options defaults) { super("SGD", groups, defaults.toMap()); }

    public Sgd(List<Tensor> params, double lr) { this(List.of(ParamGroup.of(params)), Options.of(lr)); }

    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        double mu = g.get(MOMENTUM);
        if (!(mu >= 0)) throw new IllegalArgumentException("SGD: momentum must be >= 0, got " + mu);
        // Nesterov's look-ahead is only defined for an undamped momentum (torch rejects it too).
        if (g.get(NESTEROV) != 0 && (mu <= 0 || g.get(DAMPENING) != 0))
            throw new IllegalArgumentException("SGD: nesterov needs momentum > 0 and dampening 0");
    }

    @Override
    protected Set<String> stateNames(ParamGroup g) { return g.get(MOMENTUM) != 0 ? Set.of(MOMENTUM_BUFFER) : Set.of(); }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, ParamState st) {
        double lr = g.get(ParamGroup.LR), wd = g.get(ParamGroup.WEIGHT_DECAY);
        double mu = g.get(MOMENTUM), dampening = g.get(DAMPENING);
        Tensor old = st.get(MOMENTUM_BUFFER);
        StepKernel kernel = stepKernel(p, grad, mu != 0 ? old : null);
        if (kernel != null) {
            Tensor buf = mu != 0 ? st.getOrZeros(MOMENTUM_BUFFER, p) : null;
            kernel.sgd(StepKernel.SgdRule.of(g), p, grad, buf, old == null);
            return;
        }
        try (var tmp = new Temps()) {
            Tensor d = wd != 0 ? tmp.of(grad.add(tmp.of(p.mul(wd)))) : grad;
            if (mu != 0) {
                Tensor next = old == null ? d.copy() : tmp.of(old.mul(mu)).add(tmp.of(d.mul(1 - dampening)));
                st.put(MOMENTUM_BUFFER, next);
                d = g.get(NESTEROV) != 0 ? tmp.of(d.add(tmp.of(next.mul(mu)))) : next;
            }
            p.copy_(tmp.of(p.sub(tmp.of(d.mul(lr)))));
        }
    }
}

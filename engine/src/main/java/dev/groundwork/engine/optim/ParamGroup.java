package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that share hyper-parameters. A group is built with overrides only
 * ({@code ParamGroup.of(params).lr(1e-4).weightDecay(0)}); the optimizer copies it and fills every
 * other key from its defaults, so the groups an optimizer reports answer every key it uses.
 *
 * <p>Hyper-parameters are doubles under torch's names (booleans as 0/1) so that one uniform map
 * serves schedules, checkpoints and per-group overrides alike; the typed front door is each
 * optimizer's {@code Options} record.
 */
public final class ParamGroup {
    public static final String LR = "lr";
    public static final String WEIGHT_DECAY = "weight_decay";
    /** The lr the group started with; schedules multiply it (torch's {@code initial_lr}). */
    public static final String INITIAL_LR = "initial_lr";

    private final List<Tensor> params;
    private final LinkedHashMap<String, Double> hyper = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        if (params.isEmpty()) throw new IllegalArgumentException("a param group needs at least one parameter");
        for (Tensor p : params) if (p == null) throw new IllegalArgumentException("null parameter in param group");
        this.params = List.copyOf(params);
    }

    public static ParamGroup of(List<Tensor> params) { return new ParamGroup(params); }

    public static ParamGroup of(Tensor... params) { return new ParamGroup(List.of(params)); }

    /** Sets (or overrides) one hyper-parameter; returns this. */
    public ParamGroup set(String key, double value) {
        hyper.put(key, value);
        return this;
    }

    public ParamGroup lr(double lr) { return set(LR, lr); }

    public ParamGroup weightDecay(double wd) { return set(WEIGHT_DECAY, wd); }

    public List<Tensor> params() { return params; }

    public boolean has(String key) { return hyper.containsKey(key); }

    public double get(String key) {
        Double v = hyper.get(key);
        if (v == null) throw new IllegalArgumentException("param group has no hyper-parameter '" + key + "' (has " + hyper.keySet() + ")");
        return v;
    }

    /** Read-only view, in the optimizer's key order once resolved. */
    public Map<String, Double> hyperParameters() { return Collections.unmodifiableMap(hyper); }

    /**
     * A copy holding every default key (in the defaults' order) with this group's overrides applied.
     * Unknown keys are rejected so a typo like "weightdecay" cannot silently fall back to a default.
     */
    ParamGroup resolve(Map<String, Double> defaults, String optimizer) {
        for (String k : hyper.keySet())
            if (!defaults.containsKey(k) && !k.equals(INITIAL_LR))
                throw new IllegalArgumentException(optimizer + " has no hyper-parameter '" + k + "' (known: " + defaults.keySet() + ")");
        ParamGroup r = new ParamGroup(params);
        for (var e : defaults.entrySet()) r.hyper.put(e.getKey(), hyper.getOrDefault(e.getKey(), e.getValue()));
        r.hyper.put(INITIAL_LR, hyper.getOrDefault(INITIAL_LR, r.get(LR)));
        return r;
    }
}

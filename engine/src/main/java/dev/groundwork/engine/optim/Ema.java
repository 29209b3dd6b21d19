package dev.groundwork.engine.optim;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exponential moving average of weights: after each optimizer step, {@link #update()} sets
 * shadow = d * shadow + (1 - d) * param. Evaluate with the averaged weights by {@link #swap()}ping
 * them into the parameters and swapping back afterwards, or {@link #copyTo} another model.
 * The shadow starts as a copy of the parameters.
 */
public final class Ema {
    private final List<Tensor> params;
    private final List<Tensor> shadow = new ArrayList<>();
    private final double decay;
    private long updates;

    public Ema(List<Tensor> params, double decay) {
        if (!(decay >= 0 && decay <= 1)) throw new IllegalArgumentException("EMA decay must be in [0, 1], got " + decay);
        this.params = List.copyOf(params);
        this.decay = decay;
        try (var s = GradMode.noGrad()) {
            for (Tensor p : this.params) shadow.add(p.detach().copy());
        }
    }

    public double decay() { return decay; }

    /** How many times {@link #update()} ran. */
    public long updates() { return updates; }

    /** The averaged weights, one per parameter (live tensors: do not modify). */
    public List<Tensor> shadow() { return List.copyOf(shadow); }

    public void update() {
        try (var s = GradMode.noGrad(); var tmp = new Temps()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor avg = shadow.get(i);
                avg.copy_(tmp.of(tmp.of(avg.mul(decay)).add(tmp.of(params.get(i).mul(1 - decay)))));
            }
        }
        updates++;
    }

    /** Writes the averaged weights into targets (same order and shapes as the tracked params). */
    public void copyTo(List<Tensor> targets) {
        if (targets.size() != shadow.size())
            throw new IllegalArgumentException("EMA tracks " + shadow.size() + " tensors, got " + targets.size() + " targets");
        for (int i = 0; i < targets.size(); i++) targets.get(i).copy_(shadow.get(i));
    }

    /** Exchanges parameter and shadow values; calling it twice restores both. */
    public void swap() {
        try (var s = GradMode.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                try (Tensor saved = params.get(i).detach().copy()) {
                    params.get(i).copy_(shadow.get(i));
                    shadow.get(i).copy_(saved);
                }
            }
        }
    }

    /** {@code shadow.<i>} (new references to the live tensors), {@code decay} (F64) and {@code updates} (I64). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("decay", Scalars.f64(decay));
        out.put("updates", Scalars.i64(updates));
        for (int i = 0; i < shadow.size(); i++) out.put("shadow." + i, shadow.get(i).detach());
        return out;
    }

    /** Restores shadows and the update count; the decay must match (it is a constructor argument). */
    public void loadStateDict(Map<String, Tensor> sd) {
        if (sd.size() != shadow.size() + 2) throw new IllegalArgumentException(
                "EMA state dict has " + sd.size() + " entries, expected " + (shadow.size() + 2) + " (decay, updates, shadow.0..): " + sd.keySet());
        Tensor d = need(sd, "decay");
        if (d.item() != decay) throw new IllegalArgumentException("EMA state dict entry 'decay' is " + d.item() + " but this EMA uses " + decay);
        for (int i = 0; i < shadow.size(); i++) {
            Tensor t = need(sd, "shadow." + i);
            if (!Arrays.equals(t.shape(), shadow.get(i).shape()))
                throw new IllegalArgumentException("EMA state dict entry 'shadow." + i + "' has shape " + Shape.str(t.shape())
                        + " but the parameter has shape " + Shape.str(shadow.get(i).shape()));
        }
        for (int i = 0; i < shadow.size(); i++) shadow.get(i).copy_(sd.get("shadow." + i));
        updates = (long) need(sd, "updates").item();
    }

    private static Tensor need(Map<String, Tensor> sd, String key) {
        Tensor t = sd.get(key);
        if (t == null) throw new IllegalArgumentException("EMA state dict entry '" + key + "' is missing");
        return t;
    }
}

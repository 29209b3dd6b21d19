package dev.groundwork.engine.optim;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Base of the optimizers: param groups, per-parameter state, the step loop and the state dict.
 * Parameters are numbered in group order (group 0's first parameter is 0); that index names its
 * state in the state dict, as in torch.
 */
public abstract class Optimizer {
    private final String name;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final List<Tensor> params = new ArrayList<>();
    private ParamState[] state;
    private boolean fused = true;

    /**
     * @param name     used in error messages
     * @param groups   the parameter groups with their overrides
     * @param defaults every hyper-parameter this optimizer reads, with its default value
     */
    protected Optimizer(String name, List<ParamGroup> groups, Map<String, Double> defaults) {
        this.name = name;
        if (groups.isEmpty()) throw new IllegalArgumentException(name + " needs at least one param group");
        // The same tensor in two places would get two updates per step and two state slots.
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) {
            ParamGroup r = g.resolve(defaults, name);
            validate(r);
            for (Tensor p : r.params()) {
                if (!seen.add(p)) throw new IllegalArgumentException(name + ": a parameter appears more than once " + p);
                params.add(p);
            }
            this.groups.add(r);
        }
        state = new ParamState[params.size()];
    }

    /** Updates every parameter that has a gradient, in place, outside autograd. */
    public final void step() {
        try (var s = GradMode.noGrad()) {
            int i = 0;
            for (ParamGroup g : groups) {
                for (Tensor p : g.params()) {
                    Tensor grad = p.grad();
                    if (grad != null) {
                        if (state[i] == null) state[i] = new ParamState();
                        state[i].setStep(state[i].step() + 1);
                        update(g, p, grad, state[i]);
                    }
                    i++;
                }
            }
        }
    }

    /**
     * Applies one update to param (with {@code copy_}, so the tensor object stays the same).
     * {@code state.step()} already counts this update (1 on the first).
     */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, ParamState state);

    /** The buffers a stepped parameter of this group must have; the state dict loader checks them. */
    protected abstract Set<String> stateNames(ParamGroup group);

    /**
     * The backend's {@link StepKernel} when fused steps are on and it covers these tensors (nulls
     * skipped), else null: the update then composes ops, the reference the kernels are tested against.
     */
    protected final StepKernel stepKernel(Tensor param, Tensor... others) {
        if (!fused) return null;
        StepKernel k = param.backend().kernel(StepKernel.class);
        if (k == null || !k.covers(param)) return null;
        for (Tensor t : others) if (t != null && !k.covers(t)) return null;
        return k;
    }

    /**
     * torch's {@code fused} switch: on (the default), each update runs as one pass of the backend's
     * {@link StepKernel} where it has one; off, as the op-by-op composition. Both give the same numbers
     * on the CPU; state dicts are the same either way.
     */
    public final void setFused(boolean on) { this.fused = on; }

    public final boolean isFused() { return fused; }

    /** Rejects hyper-parameters the update cannot use; runs at construction and after loading. */
    protected void validate(ParamGroup g) {
        if (!(g.get(ParamGroup.LR) >= 0)) throw new IllegalArgumentException(name + ": lr must be >= 0, got " + g.get(ParamGroup.LR));
        if (!(g.get(ParamGroup.WEIGHT_DECAY) >= 0))
            throw new IllegalArgumentException(name + ": weight_decay must be >= 0, got " + g.get(ParamGroup.WEIGHT_DECAY));
    }

    /** Drops every parameter's gradient (torch's set_to_none). */
    public void zeroGrad() { params.forEach(Tensor::zeroGrad); }

    public String name() { return name; }

    /** The resolved groups; changing a hyper-parameter here takes effect at the next step. */
    public List<ParamGroup> paramGroups() { return Collections.unmodifiableList(groups); }

    /** All parameters, in state-dict index order. */
    public List<Tensor> params() { return Collections.unmodifiableList(params); }

    public double lr(int group) { return groups.get(group).get(ParamGroup.LR); }

    public void setLr(int group, double lr) { groups.get(group).set(ParamGroup.LR, lr); }

    /** Sets the lr of every group. */
    public void setLr(double lr) { groups.forEach(g -> g.set(ParamGroup.LR, lr)); }

    /** The lr the group was created with, which multiplier schedules scale. */
    public double initialLr(int group) { return groups.get(group).get(ParamGroup.INITIAL_LR); }

    /** Updates applied to parameter i so far (0 if it never had a gradient). */
    public long stepCount(int paramIndex) {
        ParamState s = state[paramIndex];
        return s == null ? 0 : s.step();
    }

    /**
     * The full state: {@code param_groups.<g>.<hyper>} (F64 0-d), {@code param_groups.<g>.num_params}
     * and {@code state.<i>.step} (I64 0-d), {@code state.<i>.<buffer>} (the buffer's dtype and the
     * parameter's shape). The tensors are new references that share storage with the live buffers:
     * save them before the next step and close them afterwards.
     */
    public Map<String, Tensor> stateDict() { return OptimizerStateDict.save(this); }

    /**
     * Restores a {@link #stateDict()}: the same group layout and parameter shapes are required, and
     * every entry must be used; a mismatch fails naming the entry, leaving this optimizer unchanged.
     * Values are copied, so the given tensors stay the caller's.
     */
    public void loadStateDict(Map<String, Tensor> stateDict) { OptimizerStateDict.load(this, stateDict); }

    // ---- for OptimizerStateDict

    ParamState[] states() { return state; }

    void replaceStates(ParamState[] fresh) {
        for (ParamState s : state) if (s != null) s.close();
        state = fresh;
    }
}

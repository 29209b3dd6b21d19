package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flattens optimizer state to named tensors and back. Hyper-parameters travel as F64 and step counts
 * as I64 so that a resumed run computes exactly the same scalars (bias corrections, scheduled lr).
 */
final class OptimizerStateDict {
    private OptimizerStateDict() {}

    static Map<String, Tensor> save(Optimizer opt) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<ParamGroup> groups = opt.paramGroups();
        for (int g = 0; g < groups.size(); g++) {
            String prefix = "param_groups." + g + ".";
            out.put(prefix + "num_params", Scalars.i64(groups.get(g).params().size()));
            for (var e : groups.get(g).hyperParameters().entrySet()) out.put(prefix + e.getKey(), Scalars.f64(e.getValue()));
        }
        ParamState[] states = opt.states();
        for (int i = 0; i < states.length; i++) {
            if (states[i] == null) continue;
            out.put("state." + i + ".step", Scalars.i64(states[i].step()));
            for (var e : states[i].buffers().entrySet()) out.put("state." + i + "." + e.getKey(), e.getValue().detach());
        }
        return out;
    }

    static void load(Optimizer opt, Map<String, Tensor> sd) {
        Reader r = new Reader(opt.name(), sd);
        List<ParamGroup> groups = opt.paramGroups();
        // Read everything first; only commit once the whole dict has been checked.
        List<Map<String, Double>> hyper = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            String prefix = "param_groups." + g + ".";
            long n = r.count(prefix + "num_params");
            if (n != groups.get(g).params().size())
                throw r.fail(prefix + "num_params", "says " + n + " parameters but group " + g + " has " + groups.get(g).params().size());
            Map<String, Double> h = new LinkedHashMap<>();
            for (String key : groups.get(g).hyperParameters().keySet()) h.put(key, r.value(prefix + key));
            hyper.add(h);
        }
        ParamState[] fresh = new ParamState[opt.params().size()];
        try {
            readStates(opt, r, hyper, fresh);
            r.rejectUnused();
            for (int g = 0; g < groups.size(); g++) opt.validate(withHyper(groups.get(g), hyper.get(g)));
        } catch (RuntimeException e) {
            for (ParamState s : fresh) if (s != null) s.close();
            throw e;
        }
        for (int g = 0; g < groups.size(); g++) hyper.get(g).forEach(groups.get(g)::set);
        opt.replaceStates(fresh);
    }

    private static void readStates(Optimizer opt, Reader r, List<Map<String, Double>> hyper, ParamState[] fresh) {
        List<ParamGroup> groups = opt.paramGroups();
        int i = 0;
        for (int g = 0; g < groups.size(); g++) {
            for (Tensor p : groups.get(g).params()) {
                String prefix = "state." + i + ".";
                if (r.has(prefix + "step")) {
                    ParamState s = fresh[i] = new ParamState();
                    s.setStep(r.count(prefix + "step"));
                    for (String b : opt.stateNames(withHyper(groups.get(g), hyper.get(g)))) s.put(b, r.buffer(prefix + b, p));
                }
                i++;
            }
        }
    }

    private static ParamGroup withHyper(ParamGroup group, Map<String, Double> h) {
        ParamGroup c = ParamGroup.of(group.params());
        h.forEach(c::set);
        return c;
    }

    /** Looks entries up, remembers which were used, and words the errors. */
    private static final class Reader {
        private final String optimizer;
        private final Map<String, Tensor> sd;
        private final Set<String> used = new HashSet<>();

        Reader(String optimizer, Map<String, Tensor> sd) {
            this.optimizer = optimizer;
            this.sd = sd;
        }

        boolean has(String key) { return sd.containsKey(key); }

        Tensor need(String key) {
            Tensor t = sd.get(key);
            if (t == null) throw fail(key, "is missing");
            used.add(key);
            return t;
        }

        double value(String key) {
            Tensor t = need(key);
            if (t.numel() != 1) throw fail(key, "should hold one value but has shape " + Shape.str(t.shape()));
            return t.item();
        }

        long count(String key) {
            double v = value(key);
            if (v != Math.rint(v) || v < 0) throw fail(key, "should be a non-negative integer, is " + v);
            return (long) v;
        }

        Tensor buffer(String key, Tensor param) {
            Tensor t = need(key);
            if (!Arrays.equals(t.shape(), param.shape()))
                throw fail(key, "has shape " + Shape.str(t.shape()) + " but the parameter has shape " + Shape.str(param.shape()));
            if (t.dtype() != param.dtype())
                throw fail(key, "has dtype " + t.dtype() + " but the parameter is " + param.dtype());
            return Tensor.zerosLike(param).copy_(t);
        }

        void rejectUnused() {
            for (String key : sd.keySet())
                if (!used.contains(key)) throw fail(key, "is not part of this optimizer's state (wrong optimizer or model?)");
        }

        IllegalArgumentException fail(String key, String what) {
            return new IllegalArgumentException(optimizer + " state dict entry '" + key + "' " + what);
        }
    }
}

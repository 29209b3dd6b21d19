package dev.groundwork.engine.optim;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The CPU step kernel (one in-place pass) gives exactly the op-by-op composition's numbers, step
 * after step, for every rule: parameters, state dicts and, for BertAdam, the clipped gradients. The
 * gradients alternate between large and small so that clipping acts on some steps and not on others.
 */
class StepKernelTest {
    record Rule(String name, Function<List<Tensor>, Optimizer> make) {
        @Override public String toString() { return name; }
    }

    static Stream<Rule> rules() {
        return Stream.of(
                new Rule("sgd", ps -> new Sgd(List.of(ParamGroup.of(ps)), Sgd.Options.of(0.1))),
                new Rule("sgd weight decay", ps -> new Sgd(List.of(ParamGroup.of(ps)), Sgd.Options.of(0.1).withWeightDecay(0.05))),
                new Rule("sgd momentum dampening", ps -> new Sgd(List.of(ParamGroup.of(ps)),
                        Sgd.Options.of(0.05).withMomentum(0.8).withDampening(0.3).withWeightDecay(0.01))),
                new Rule("sgd nesterov", ps -> new Sgd(List.of(ParamGroup.of(ps)),
                        Sgd.Options.of(0.05).withMomentum(0.9).withNesterov(true).withWeightDecay(0.02))),
                new Rule("adam", ps -> new Adam(List.of(ParamGroup.of(ps)), Adam.Options.of(1e-3))),
                new Rule("adam l2 (VG-BERT)", ps -> new Adam(List.of(ParamGroup.of(ps)), new Adam.Options(1e-3, 0.95, 0.999, 1e-8, 5e-7))),
                new Rule("adamw", ps -> new AdamW(List.of(ParamGroup.of(ps)), AdamW.defaults(1e-3).withWeightDecay(0.1))),
                new Rule("bert adam clipping", ps -> new BertAdam(List.of(ParamGroup.of(ps)), BertAdam.Options.of(1e-3).withMaxGradNorm(5))),
                new Rule("bert adam no clipping, no decay", ps -> new BertAdam(List.of(ParamGroup.of(ps)),
                        BertAdam.Options.of(1e-3).withMaxGradNorm(0).withWeightDecay(0))),
                // Two groups: decay off for the second, as BERT's bias and LayerNorm parameters are.
                new Rule("bert adam two groups", ps -> new BertAdam(List.of(ParamGroup.of(ps.get(0)), ParamGroup.of(ps.get(1)).weightDecay(0)),
                        BertAdam.Options.of(2e-3).withMaxGradNorm(1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void fusedStepIsBitIdenticalToTheComposition(Rule rule) {
        Generator gen = new Generator(rule.name().hashCode());
        List<Tensor> a = List.of(Tensor.randn(gen, 3, 1000).requiresGrad(true), Tensor.randn(gen, 77).requiresGrad(true));
        List<Tensor> b = a.stream().map(t -> t.detach().copy().requiresGrad(true)).toList();
        Optimizer fused = rule.make().apply(a), composed = rule.make().apply(b);
        composed.setFused(false);
        Tensor firstBuffer = null;
        for (int step = 0; step < 6; step++) {
            for (int i = 0; i < a.size(); i++) {
                // Large gradients on even steps (clipped at max norm 5 or 1), small ones on odd steps.
                Tensor g = Tensor.randn(gen, a.get(i).shape()).mul(step % 2 == 0 ? 3 : 1e-3);
                a.get(i).setGrad(g.copy());
                b.get(i).setGrad(g.copy());
            }
            fused.step();
            composed.step();
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i).toFloatArray(), a.get(i).toFloatArray(), "param " + i + " after step " + step);
                assertArrayEquals(b.get(i).grad().toFloatArray(), a.get(i).grad().toFloatArray(), "grad " + i + " after step " + step);
            }
            Map<String, Tensor> state = fused.stateDict();
            Tensor buffer = state.entrySet().stream().filter(e -> e.getKey().startsWith("state.0.") && !e.getKey().endsWith(".step"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (firstBuffer == null && buffer != null) firstBuffer = buffer;
            // The kernel ran: it updates the state in place, where the composition replaces it every step.
            if (buffer != null) assertSame(firstBuffer.storage(), buffer.storage(), "the fused step keeps its state buffers");
        }
        Map<String, Tensor> sa = fused.stateDict(), sb = composed.stateDict();
        assertEquals(sb.keySet(), sa.keySet());
        for (String k : sb.keySet()) {
            if (sb.get(k).dtype() == DType.F32) assertArrayEquals(sb.get(k).toFloatArray(), sa.get(k).toFloatArray(), k);
            else assertArrayEquals(sb.get(k).toDoubleArray(), sa.get(k).toDoubleArray(), k);
        }
    }

    /** The rules that keep state buffers. */
    static Stream<Rule> statefulRules() { return rules().filter(r -> !r.name().startsWith("sgd") || r.name().contains("momentum") || r.name().contains("nesterov")); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statefulRules")
    void aParameterTheKernelDoesNotCoverComposes(Rule rule) {
        // Float64 parameters: the CPU kernel covers float32 only, so the composition runs (and replaces its buffers).
        Tensor p = Tensor.randn(new Generator(3), 40).to(DType.F64).detach().requiresGrad(true);
        Optimizer opt = rule.make().apply(List.of(p, Tensor.randn(new Generator(4), 5).to(DType.F64).detach().requiresGrad(true)));
        p.setGrad(Tensor.randn(new Generator(5), 40).to(DType.F64));
        opt.step();
        Map<String, Tensor> first = opt.stateDict();
        p.setGrad(Tensor.randn(new Generator(6), 40).to(DType.F64));
        opt.step();
        for (var e : opt.stateDict().entrySet())
            if (e.getKey().startsWith("state.0.") && !e.getKey().endsWith(".step"))
                assertNotSame(first.get(e.getKey()).storage(), e.getValue().storage(), e.getKey() + " was replaced, not updated in place");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    void cpuSquaredNormsSumAsTheComposition(DType dtype) {
        Generator gen = new Generator(8);
        List<Tensor> gs = List.of(Tensor.randn(gen, 1000, 33).mul(7).to(dtype), Tensor.randn(gen, 5).to(dtype),
                Tensor.randn(gen, 4, 9).to(dtype).narrow(0, 1, 2));
        GradClip.SquaredNormKernel k = gs.get(0).backend().kernel(GradClip.SquaredNormKernel.class);
        assertNotNull(k, "the CPU backend offers the squared-norm kernel");
        double[] got = k.squaredNorms(gs);
        assertNotNull(got);
        for (int i = 0; i < gs.size(); i++) assertEquals(gs.get(i).square().sum().item(), got[i], 0.0, "tensor " + i);
        assertNull(k.squaredNorms(List.of(gs.get(0).mT())), "a transposed view is not covered");
    }

    static Stream<DType> dtypes() { return Stream.of(DType.F32, DType.F64); }
}

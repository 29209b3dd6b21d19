package dev.groundwork.kernels.ops;

import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.AdamW;
import dev.groundwork.engine.optim.BertAdam;
import dev.groundwork.engine.optim.GradClip;
import dev.groundwork.engine.optim.Optimizer;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.optim.Sgd;
import dev.groundwork.engine.optim.StepKernel;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.memory.AllocatorStats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * optimizer.cu behind the optimizers on a GPU: every rule's fused CUDA step against the CPU's (the
 * composition's numbers), a step that allocates no device memory, and GW_FUSED=0's composition.
 */
class OptimizerKernelsTest {
    record Rule(String name, boolean exact, Function<List<Tensor>, Optimizer> make) {
        @Override public String toString() { return name; }
    }

    /** exact: bit for bit; BertAdam's clipping sums Σ g² in another order on the device (a last-bit difference in the factor). */
    static Stream<Rule> rules() {
        return Stream.of(
                new Rule("sgd nesterov", true, ps -> new Sgd(List.of(ParamGroup.of(ps)),
                        Sgd.Options.of(0.05).withMomentum(0.9).withNesterov(true).withWeightDecay(0.02))),
                new Rule("sgd momentum dampening", true, ps -> new Sgd(List.of(ParamGroup.of(ps)),
                        Sgd.Options.of(0.05).withMomentum(0.8).withDampening(0.3))),
                new Rule("adam l2", true, ps -> new Adam(List.of(ParamGroup.of(ps)), new Adam.Options(1e-3, 0.95, 0.999, 1e-8, 5e-7))),
                new Rule("adamw", true, ps -> new AdamW(List.of(ParamGroup.of(ps)), AdamW.defaults(1e-3).withWeightDecay(0.1))),
                new Rule("bert adam without clipping", true, ps -> new BertAdam(List.of(ParamGroup.of(ps)), BertAdam.Options.of(1e-3).withMaxGradNorm(0))),
                new Rule("bert adam clipping", false, ps -> new BertAdam(List.of(ParamGroup.of(ps)), BertAdam.Options.of(1e-3).withMaxGradNorm(5))));
    }

    private static List<Tensor> params(Generator gen) {
        return List.of(Tensor.randn(gen, 768, 301), Tensor.randn(gen, 301), Tensor.randn(gen, 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void theFusedCudaStepMatchesTheCpu(Rule rule) {
        CudaBackend be = requireCuda();
        Generator gen = new Generator(rule.name().hashCode());
        List<Tensor> cpu = params(gen).stream().map(t -> t.requiresGrad(true)).toList();
        List<Tensor> gpu = cpu.stream().map(t -> t.detach().to(CUDA).requiresGrad(true)).toList();
        Optimizer oc = rule.make().apply(cpu), og = rule.make().apply(gpu);
        assertNotNull(be.kernel(StepKernel.class), "the step kernel is registered");
        for (int step = 0; step < 4; step++) {
            for (int i = 0; i < cpu.size(); i++) {
                Tensor g = Tensor.randn(gen, cpu.get(i).shape()).mul(step % 2 == 0 ? 3 : 1e-3);
                cpu.get(i).setGrad(g.copy());
                gpu.get(i).setGrad(g.to(CUDA));
            }
            oc.step();
            og.step();
            for (int i = 0; i < cpu.size(); i++) {
                String what = rule.name() + " param " + i + " step " + step;
                if (rule.exact()) assertArrayEquals(cpu.get(i).toFloatArray(), gpu.get(i).toFloatArray(), what);
                else assertClose(what, gpu.get(i), cpu.get(i), 1e-6);
                assertClose(what + " (gradient, clipped in place)", gpu.get(i).grad(), cpu.get(i).grad(), rule.exact() ? 0 : 1e-6);
            }
        }
        Map<String, Tensor> sc = oc.stateDict(), sg = og.stateDict();
        for (String k : sc.keySet()) assertClose(k, sg.get(k), sc.get(k), rule.exact() ? 0 : 1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void aStepAllocatesNothing(Rule rule) {
        CudaBackend be = requireCuda();
        Generator gen = new Generator(3);
        List<Tensor> ps = params(gen).stream().map(t -> t.to(CUDA).requiresGrad(true)).toList();
        for (Tensor p : ps) p.setGrad(Tensor.randn(gen, p.shape()).to(CUDA));
        Optimizer opt = rule.make().apply(ps);
        opt.step();                     // creates the state (and BertAdam's clipping scratch, once per device)
        be.synchronize();
        AllocatorStats before = be.memoryStats();
        for (int i = 0; i < 3; i++) opt.step();
        be.synchronize();
        AllocatorStats after = be.memoryStats();
        assertEquals(before.driverAllocs() + before.cacheHits(), after.driverAllocs() + after.cacheHits(),
                rule.name() + ": allocations during three steps of " + ps.size() + " parameters (" + before + " -> " + after + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void withFusedKernelsOffTheStepComposes(Rule rule) {
        CudaBackend be = requireCuda();
        Generator gen = new Generator(5);
        List<Tensor> a = params(gen).stream().map(t -> t.to(CUDA).requiresGrad(true)).toList();
        List<Tensor> b = a.stream().map(t -> t.detach().copy().requiresGrad(true)).toList();
        Optimizer fused = rule.make().apply(a), composed = rule.make().apply(b);
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < a.size(); i++) {
                Tensor g = Tensor.randn(gen, a.get(i).shape()).to(CUDA);
                a.get(i).setGrad(g.copy());
                b.get(i).setGrad(g);
            }
            fused.step();
            be.setFused(false);     // what GW_FUSED=0 does
            try {
                Map<String, Tensor> before = composed.stateDict();
                composed.step();
                for (var e : composed.stateDict().entrySet())
                    if (before.containsKey(e.getKey()) && !e.getKey().endsWith(".step") && e.getKey().startsWith("state."))
                        assertNotSame(before.get(e.getKey()).storage(), e.getValue().storage(), e.getKey() + ": the composition replaces its buffers");
            } finally {
                be.setFused(true);
            }
        }
        for (int i = 0; i < a.size(); i++) assertClose(rule.name() + " param " + i, a.get(i), b.get(i), 1e-6);
    }

    @ParameterizedTest(name = "max norm {0}")
    @org.junit.jupiter.params.provider.ValueSource(doubles = {1, 1e6})
    void globalNormClippingOnTheDevice(double maxNorm) {
        requireCuda();
        Generator gen = new Generator(8);
        List<Tensor> cpu = params(gen).stream().map(t -> t.requiresGrad(true)).toList();
        List<Tensor> gpu = cpu.stream().map(t -> t.detach().to(CUDA).requiresGrad(true)).toList();
        for (int i = 0; i < cpu.size(); i++) {
            Tensor g = Tensor.randn(gen, cpu.get(i).shape());
            cpu.get(i).setGrad(g.copy());
            gpu.get(i).setGrad(g.to(CUDA));
        }
        double want = GradClip.clipGradNorm(cpu, maxNorm), got = GradClip.clipGradNorm(gpu, maxNorm);
        assertEquals(want, got, 1e-6 * want);
        for (int i = 0; i < cpu.size(); i++) assertClose("clipped grad " + i, gpu.get(i).grad().to(Device.CPU), cpu.get(i).grad(), 1e-6);
    }
}

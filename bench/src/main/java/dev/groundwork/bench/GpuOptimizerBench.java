package dev.groundwork.bench;

import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.BertAdam;
import dev.groundwork.engine.optim.Optimizer;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertModel;
import org.openjdk.jmh.annotations.*;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One optimizer step over BERT-base's parameters (110 M floats in 199 tensors) on the GPU: the fused
 * step kernel (optimizer.cu, one launch per tensor; BertAdam three, its per-tensor clipping on the
 * device) against the op-by-op composition (Optimizer.setFused(false): about fourteen temporaries
 * and kernels per tensor). The gradients stay put across steps; each step ends with a synchronize.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class GpuOptimizerBench {
    @Param({"adam", "bert_adam"})
    public String rule;

    @Param({"fused", "composed"})
    public String step;

    private CudaBackend be;
    private List<Tensor> params;
    private Optimizer opt;

    @Setup
    public void setup() {
        be = GpuSupport.cuda();
        Generator gen = new Generator(0);
        List<Tensor> cpu = new BertModel(BertConfig.base(), gen).parameters();
        params = cpu.stream().map(p -> p.detach().to(Device.cuda(0)).requiresGrad(true)).toList();
        for (Tensor p : params) p.setGrad(Tensor.randn(gen, p.shape()).mul(1e-2).to(Device.cuda(0)));
        opt = rule.equals("adam")
                ? new Adam(List.of(ParamGroup.of(params)), new Adam.Options(5e-5, 0.95, 0.999, 1e-8, 5e-7))
                : new BertAdam(List.of(ParamGroup.of(params)), BertAdam.Options.of(5e-5));
        opt.setFused(step.equals("fused"));
        opt.step();     // the state exists before timing starts
        be.synchronize();
    }

    @Benchmark
    public void run() {
        opt.step();
        be.synchronize();
    }

    @TearDown
    public void tearDown() {
        for (Tensor p : params) p.close();
        be.emptyCache();
    }
}

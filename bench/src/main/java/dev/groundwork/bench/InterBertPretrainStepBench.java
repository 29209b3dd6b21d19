package dev.groundwork.bench;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.interbert.InterBertInputs;
import dev.groundwork.models.interbert.PretrainingLabels;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * One InterBERT pretraining forward + backward at the original's full size ({@link InterBertConfig#original}:
 * 6 single-stream + 6 text-only layers of 12 x 64, 6 image-only layers of 8 x 96, P 1024, V 30522, C 1601;
 * 157.0 M parameters) on the pretraining shape B = 64, L = 36, R = 37 (spec 2.1): the three heads and the
 * three losses of spec 2.4, dropout on (training mode). No optimizer step: the issue times forward and
 * backward. {@code bench/peers/interbert_step.py --task pretrain} is the same step in plain PyTorch.
 * One op is one step; pairs/s = B / (s/op).
 *
 * <p>Shapes are {@code device:B{batch}_L{text}_R{regions}}. The CPU defaults are the full shape (tens of
 * seconds a step on 2 cores, hence single shots) and B = 8; the GPU shape is
 * {@code -p shape=cuda:B64_L36_R37} (refused with the reason where there is no CUDA device).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)    // the first step also JIT-compiles the kernels; the second is close to steady
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx12g"})
public class InterBertPretrainStepBench {
    @Param({"cpu:B64_L36_R37", "cpu:B8_L36_R37"})
    public String shape;

    private InterBertForMultiModalPreTraining model;
    private InterBertInputs inputs;
    private PretrainingLabels labels;

    @Setup
    public void setup() {
        String[] p = shape.split(":");
        Device device = GpuSupport.device(p[0], "InterBERT GPU step");
        int b = InterBertBatches.field(p[1], 'B'), l = InterBertBatches.field(p[1], 'L'), r = InterBertBatches.field(p[1], 'R');
        model = new InterBertForMultiModalPreTraining(InterBertConfig.original(), new Generator(0));
        model.to(device);
        model.train();
        inputs = InterBertBatches.inputs(b, l, r, false, device, 1);
        labels = InterBertBatches.labels(inputs, device, 2);
    }

    @Benchmark
    public double step() {
        try (TensorScope s = TensorScope.open()) {
            model.zeroGrad();
            var out = model.forward(inputs);
            Tensor loss = model.losses(out, labels).total();
            loss.backward();
            return loss.item();
        }
    }
}

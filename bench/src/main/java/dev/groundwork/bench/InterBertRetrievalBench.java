package dev.groundwork.bench;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.InterBertInputs;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * One forward of the Flickr30K retrieval evaluation (spec 5.1): one caption of L = 30 against 500 images
 * of R = 102 tokens (the global one and up to 101 regions), the full-size fine-tuned network
 * ({@link InterBertForVLTasks}, num_labels 1) in eval mode without gradients, through
 * {@link InterBertForVLTasks#scores} (no vocabulary or region logits), then P(matched) = softmax(ITM)_0 per
 * pair as the evaluation ranks them. One op is one such forward; pairs/s = P / (s/op), and the whole
 * evaluation is 5,000,000 pairs (10,000 ops). {@code bench/peers/interbert_step.py --task retrieval} is
 * the peer.
 *
 * <p>Shapes are {@code device:P{pairs}_R{regions}_L{text}}: the full shape, and P = 50 on the CPU, where
 * one full op takes minutes on 2 cores; {@code -p shape=cuda:P500_R102_L30} on a GPU.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx12g"})
public class InterBertRetrievalBench {
    @Param({"cpu:P500_R102_L30", "cpu:P50_R102_L30"})
    public String shape;

    private InterBertForVLTasks model;
    private InterBertInputs inputs;

    @Setup
    public void setup() {
        String[] p = shape.split(":");
        Device device = GpuSupport.device(p[0], "InterBERT GPU retrieval");
        int pairs = InterBertBatches.field(p[1], 'P'), r = InterBertBatches.field(p[1], 'R'), l = InterBertBatches.field(p[1], 'L');
        model = new InterBertForVLTasks(InterBertConfig.original(), 1, new Generator(0));
        model.to(device);
        model.eval();
        inputs = InterBertBatches.inputs(pairs, l, r, true, device, 3);
    }

    @Benchmark
    public float[] scores() {
        try (TensorScope s = TensorScope.open(); var g = GradMode.noGrad()) {
            var itm = model.scores(inputs).vilBinaryPrediction();
            return F.softmax(itm, 1).narrow(1, 0, 1).copy().toFloatArray();
        }
    }
}

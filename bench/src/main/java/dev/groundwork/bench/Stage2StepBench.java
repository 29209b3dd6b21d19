package dev.groundwork.bench;

import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.Optimizer;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.vgbert.TwoStreamModel;
import dev.groundwork.models.vgbert.VgBertConfig;
import org.openjdk.jmh.annotations.*;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One VG-BERT stage-2 training step at the paper's model (spec §3, §2.5, §6.1): VGG16 convolutions
 * frozen, embedder + spatial attention trainable, BERT-base with its last 8 layers trainable and
 * query/key frozen, the two projection heads, the matchmap loss at σ = 0.1, Adam (0.95, 0.999),
 * L2 5e-7; 224x224 images, T = 32 caption slots, random nwords. One op = forward, backward and the
 * optimizer step of one batch; images/s = batch / (s/op). {@code bench/peers/stage2_step.py} is the
 * same step in plain PyTorch + torchvision. CPU: batch 2 (2 cores); GPU: batch 180 (the paper's).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6)    // single shots: the first CPU steps are still being JIT-compiled (12 s, 4 s, ... then ~3 s)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx16g"})
public class Stage2StepBench {
    @Param({"cpu:2"})
    public String target;

    private TwoStreamModel model;
    private Optimizer opt;
    private CaptionBatch batch;

    @Setup
    public void setup() {
        String[] p = target.split(":");
        Device device = GpuSupport.device(p[0], "stage-2 GPU step");
        int b = Integer.parseInt(p[1]), t = 32;
        Generator gen = new Generator(0);
        VgBertConfig c = VgBertConfig.paper();
        model = new TwoStreamModel(c, 8, gen);
        model.to(device);
        List<Tensor> trainable = model.parameters().stream().filter(Tensor::requiresGrad).toList();
        opt = new Adam(List.of(ParamGroup.of(trainable)), new Adam.Options(5e-5, 0.95, 0.999, 1e-8, 5e-7));
        SplittableRandom r = new SplittableRandom(1);
        float[] img = new float[b * 3 * c.imageSize() * c.imageSize()];
        for (int i = 0; i < img.length; i++) img[i] = (float) r.nextGaussian();
        long[] ids = new long[b * t], types = new long[b * t], mask = new long[b * t], nwords = new long[b];
        for (int i = 0; i < b; i++) {
            int n = 8 + r.nextInt(t - 8);
            nwords[i] = n;
            for (int j = 0; j < t; j++) {
                types[i * t + j] = 1;
                if (j < n) {
                    mask[i * t + j] = 1;
                    ids[i * t + j] = j == 0 ? 101 : j == n - 1 ? 102 : 1000 + r.nextInt(29000);
                }
            }
        }
        int[] index = new int[b];
        for (int i = 0; i < b; i++) index[i] = i;
        batch = new CaptionBatch(TensorScope.detach(Tensor.of(img, b, 3, c.imageSize(), c.imageSize()).to(device)),
                TensorScope.detach(Tensor.ofLongs(ids, b, t).to(device)), TensorScope.detach(Tensor.ofLongs(types, b, t).to(device)),
                TensorScope.detach(Tensor.ofLongs(mask, b, t).to(device)), TensorScope.detach(Tensor.ofLongs(nwords, b).to(device)), index);
        model.train();
    }

    @Benchmark
    public double step() {
        try (TensorScope s = TensorScope.open()) {
            opt.zeroGrad();
            Tensor loss = model.step(batch).loss();
            loss.backward();
            opt.step();
            return loss.item();
        }
    }
}

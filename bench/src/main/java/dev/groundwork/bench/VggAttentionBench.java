package dev.groundwork.bench;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.vision.Vgg16Attention;
import dev.groundwork.models.vision.VisualConfig;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * VGG16_Attention forward (VGG16 features without the last pool -> 1x1 embedder 512->768 -> spatial
 * self-attention), eval mode, no grad, random 224x224 images: torch_peer.py's vgg_attention. Batch 2
 * is the peer's CPU batch; its GPU batches are {@code -p batch=64,180}. FLOPs as the peer counts
 * them: B * 2 * 15.9e9.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class VggAttentionBench {
    @Param({"2"})
    public int batch;

    Vgg16Attention model;
    Tensor images;
    GradMode.Scope noGrad;

    @Setup
    public void setup() {
        Generator g = new Generator(0);
        model = new Vgg16Attention(VisualConfig.vgBert(0.1), g);
        model.eval();
        images = Tensor.randn(g, batch, 3, 224, 224);
        noGrad = GradMode.noGrad();
    }

    @TearDown
    public void tearDown() { noGrad.close(); }

    @Benchmark
    public Tensor forward() { return model.forward(images); }
}

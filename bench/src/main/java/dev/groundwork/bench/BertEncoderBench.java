package dev.groundwork.bench;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertEncoder;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * BERT-base layer stack, forward + backward, matching torch_peer.py's bert_layer / bert_base:
 * hidden 768, 12 heads, FFN 3072, GELU, eps 1e-12, dropout 0; x [B,T,768] random with requires_grad;
 * the last T/4 positions of every row padded; loss = sum(y). The peer's CPU shapes are the defaults
 * (1 layer at B8 T128, 12 layers at B2 T32); its GPU shapes can be passed with
 * {@code -p shape=L1_B32_T128,L1_B32_T512,L12_B180_T32,L12_B32_T128}.
 * FLOPs as the peer counts them: 6 * layers * 12 * 768^2 * B * T + layers * 12 * B * T^2 * 768.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class BertEncoderBench {
    /** L{layers}_B{batch}_T{tokens}. */
    @Param({"L1_B8_T128", "L12_B2_T32"})
    public String shape;

    BertEncoder encoder;
    Tensor x, mask;

    @Setup
    public void setup() {
        String[] p = shape.split("_");
        int layers = Integer.parseInt(p[0].substring(1)), b = Integer.parseInt(p[1].substring(1)), t = Integer.parseInt(p[2].substring(1));
        Generator g = new Generator(0);
        encoder = new BertEncoder(BertConfig.base().withLayers(layers).withDropout(0), g);
        x = Tensor.randn(g, b, t, 768).requiresGrad(true);
        float[] m = new float[b * t];
        for (int i = 0; i < b; i++) for (int j = 0; j < t - t / 4; j++) m[i * t + j] = 1;
        mask = Tensor.of(m, b, t).to(DType.F32);
    }

    @Benchmark
    public Tensor forwardBackward() {
        encoder.zeroGrad();
        x.zeroGrad();
        Tensor y = encoder.forward(x, mask);
        y.sum().backward();
        return x.grad();
    }
}

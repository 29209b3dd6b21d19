package dev.groundwork.bench;

import dev.groundwork.engine.cpu.Conv2dKernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Convolutions of torch_peer.py's CPU {@code vgg_attention} workload (VGG16 features at batch 2,
 * 224x224, then a 1x1 conv 512->768 on the 14x14 map); the peer has no single-conv workload, so
 * these are its layers. Shapes "C_O_HW_K" (stride 1, pad K/2): conv1_1 (3->64 @224, the
 * im2col-unfriendly first layer), conv1_2 (64->64 @224), conv3_2 (256->256 @56), conv4_2
 * (512->512 @28), and the 1x1 projection (512->768 @14, straight to GEMM). One op is
 * 2*N*O*H*W*C*K*K FLOPs: 7.40 GFLOP for each 3x3 layer but conv1_1 (0.35) and 0.15 for the 1x1.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class Conv2dBench {

    static final int N = 2;

    @Param({"3_64_224_3", "64_64_224_3", "256_256_56_3", "512_512_28_3", "512_768_14_1"})
    public String shape;

    private int c, o, hw, k, pad;
    private float[] x, w, bias, out, gradOut, gradX, gradW, gradB;

    @Setup
    public void setup() {
        String[] p = shape.split("_");
        c = Integer.parseInt(p[0]);
        o = Integer.parseInt(p[1]);
        hw = Integer.parseInt(p[2]);
        k = Integer.parseInt(p[3]);
        pad = k / 2;
        SplittableRandom rng = new SplittableRandom(0);
        x = GemmBench.random(rng, N * c * hw * hw);
        w = GemmBench.random(rng, o * c * k * k);
        bias = GemmBench.random(rng, o);
        out = new float[N * o * hw * hw];
        gradOut = GemmBench.random(rng, out.length);
        gradX = new float[x.length];
        gradW = new float[w.length];
        gradB = new float[o];
    }

    @Benchmark
    public float[] forward() {
        Conv2dKernels.forward(x, N, c, hw, hw, w, o, k, k, bias, 1, 1, pad, pad, out);
        return out;
    }

    @Benchmark
    public float[] backwardData() {
        Conv2dKernels.backwardData(gradOut, N, c, hw, hw, w, o, k, k, 1, 1, pad, pad, gradX);
        return gradX;
    }

    @Benchmark
    public float[] backwardWeight() {
        Conv2dKernels.backwardWeight(x, gradOut, N, c, hw, hw, o, k, k, 1, 1, pad, pad, gradW, gradB);
        return gradW;
    }
}

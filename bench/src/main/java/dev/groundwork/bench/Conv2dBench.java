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
 * 3x3, stride 1, pad 1 convolutions of VGG16 at batch 2 and 224x224 input: the network and batch
 * torch_peer.py's CPU {@code vgg_attention} workload runs (it has no single-conv workload). Shapes
 * "C_O_HW": conv1_2 (64->64 @224), conv3_2 (256->256 @56), conv4_2 (512->512 @28). One op is
 * 2*N*O*H*W*C*9 FLOPs (7.4 GFLOP for each of the three shapes at N=2: VGG keeps
 * FLOPs per layer constant across stages).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class Conv2dBench {

    static final int N = 2;

    @Param({"64_64_224", "256_256_56", "512_512_28"})
    public String shape;

    private int c, o, hw;
    private float[] x, w, bias, out, gradOut, gradX, gradW, gradB;

    @Setup
    public void setup() {
        String[] p = shape.split("_");
        c = Integer.parseInt(p[0]);
        o = Integer.parseInt(p[1]);
        hw = Integer.parseInt(p[2]);
        SplittableRandom rng = new SplittableRandom(0);
        x = GemmBench.random(rng, N * c * hw * hw);
        w = GemmBench.random(rng, o * c * 9);
        bias = GemmBench.random(rng, o);
        out = new float[N * o * hw * hw];
        gradOut = GemmBench.random(rng, out.length);
        gradX = new float[x.length];
        gradW = new float[w.length];
        gradB = new float[o];
    }

    @Benchmark
    public float[] forward() {
        Conv2dKernels.forward(x, N, c, hw, hw, w, o, 3, 3, bias, 1, 1, 1, 1, out);
        return out;
    }

    @Benchmark
    public float[] backwardData() {
        Conv2dKernels.backwardData(gradOut, N, c, hw, hw, w, o, 3, 3, 1, 1, 1, 1, gradX);
        return gradX;
    }

    @Benchmark
    public float[] backwardWeight() {
        Conv2dKernels.backwardWeight(x, gradOut, N, c, hw, hw, o, 3, 3, 1, 1, 1, 1, gradW, gradB);
        return gradW;
    }
}

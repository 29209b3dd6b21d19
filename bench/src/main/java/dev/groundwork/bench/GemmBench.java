package dev.groundwork.bench;

import dev.groundwork.engine.cpu.Gemm;
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
 * Row-major SGEMM C[M,N] = A[M,K] * B[K,N], the same shapes torch_peer.py's {@code gemm} workload
 * times ({@code a @ w}, neither operand transposed). One op is 2*M*N*K floating-point operations,
 * so GFLOP/s = 2*M*N*K / (ms/op * 1e6). Shapes are "MxKxN": 1024^3 plus the BERT-base projections
 * for 4096 tokens (QKV/output 768->768, FFN up 768->3072, FFN down 3072->768).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class GemmBench {

    @Param({"1024x1024x1024", "4096x768x3072", "4096x3072x768", "4096x768x768"})
    public String shape;

    private int m, k, n;
    private float[] a, b, c;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        SplittableRandom rng = new SplittableRandom(0);
        a = random(rng, m * k);
        b = random(rng, k * n);
        c = new float[m * n];
    }

    static float[] random(SplittableRandom rng, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        return c;
    }
}

package dev.groundwork.bench;

import dev.groundwork.engine.cpu.Gemm;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The unpacked small-GEMM path (m·n·k up to 48³) at the shapes that dominate the demo-size models:
 * attention heads (T = 24, d = 16: scores q kᵀ "NT", context P v "NN", dP = dO vᵀ "NT") and 1x1
 * convolutions over a 3x3 grid (weight gradient 64x64x9 "NT", data gradient 64x9x64 "TN").
 * Shape "MxNxK:TT" with the transposes of A and B; GFLOP/s = 2·M·N·K / (µs/op · 1e3).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SmallGemmBench {
    @Param({"24x24x16:NT", "24x16x24:NN", "64x64x9:NT", "64x9x64:TN"})
    public String shape;

    private int m, n, k, lda, ldb;
    private boolean ta, tb;
    private float[] a, b, c;

    @Setup
    public void setup() {
        String[] p = shape.split(":");
        String[] d = p[0].split("x");
        m = Integer.parseInt(d[0]);
        n = Integer.parseInt(d[1]);
        k = Integer.parseInt(d[2]);
        ta = p[1].charAt(0) == 'T';
        tb = p[1].charAt(1) == 'T';
        lda = ta ? m : k;
        ldb = tb ? k : n;
        SplittableRandom r = new SplittableRandom(0);
        a = GemmBench.random(r, m * k);
        b = GemmBench.random(r, k * n);
        c = new float[m * n];
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        return c;
    }
}

package dev.groundwork.bench;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The memory-bound ops at the PyTorch peer's "memory" shape: x [5461, 768] fp32 (2^22 elements),
 * forward only. Bytes moved per op = 8 * n (read x, write y); GB/s = 8 * 2^22 / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MemoryBoundBench {
    static final int ROWS = (1 << 22) / 768, D = 768;

    Tensor x, w, b;
    GradMode.Scope noGrad;

    @Setup
    public void setup() {
        Generator g = new Generator(0);
        x = Tensor.randn(g, ROWS, D);
        w = Tensor.randn(g, D);
        b = Tensor.randn(g, D);
        noGrad = GradMode.noGrad();
    }

    @TearDown
    public void tearDown() { noGrad.close(); }

    @Benchmark public Tensor layerNormFwd() { return F.layerNorm(x, w, b, 1e-12); }

    @Benchmark public Tensor softmaxFwd() { return F.softmax(x, -1); }

    @Benchmark public Tensor geluFwd() { return F.gelu(x); }

    @Benchmark public Tensor copy() { return x.copy(); }
}

package dev.groundwork.bench;

import dev.groundwork.engine.backend.UnaryOp;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Memory-bound GPU kernels at torch_peer.py's sizes: x [349525, 768] (2^28 floats, 1 GiB) through
 * layer_norm (our layer_norm.cu), softmax over the last dim (softmax.cu), GELU (elementwise.cu,
 * float4 path), and a device copy (cuMemcpyDtoD) as the bandwidth reference. Bytes counted as the
 * peer does: 8 per element (one read, one write); GB/s = 8·n / (ms · 1e6). BATCH ops per
 * synchronize, as in GpuGemmBench.
 */
@State(Scope.Benchmark)
@OperationsPerInvocation(GpuGemmBench.BATCH)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class GpuMemoryBoundBench {
    @Param({"layer_norm", "softmax", "gelu", "copy"})
    public String kernel;

    static final int ROWS = 349525, D = 768;

    private CudaBackend be;
    private Tensor x, y, w, b, mean, rstd;

    @Setup
    public void setup() {
        be = GpuSupport.cuda();
        Device cuda = Device.cuda(0);
        x = Tensor.zeros(DType.F32, cuda, ROWS, D);
        be.random(x, dev.groundwork.engine.backend.Backend.RandomKind.NORMAL, 1, 0, 0, 1);
        y = be.empty(DType.F32, ROWS, D);
        w = Tensor.full(1.1, DType.F32, cuda, D);
        b = Tensor.full(0.1, DType.F32, cuda, D);
        mean = be.empty(DType.F32, ROWS);
        rstd = be.empty(DType.F32, ROWS);
        be.synchronize();
    }

    @Benchmark
    public void run() {
        for (int i = 0; i < GpuGemmBench.BATCH; i++) {
            switch (kernel) {
                case "layer_norm" -> be.layerNorm(x, w, b, 1e-12, y, mean, rstd);
                case "softmax" -> be.softmax(x, 1, false, y);
                case "gelu" -> be.unary(UnaryOp.GELU, x, y, 0, 0);
                default -> be.copy(x, y);
            }
        }
        be.synchronize();
    }

    @TearDown
    public void tearDown() {
        for (Tensor t : new Tensor[]{x, y, w, b, mean, rstd}) t.close();
        be.emptyCache();
    }
}

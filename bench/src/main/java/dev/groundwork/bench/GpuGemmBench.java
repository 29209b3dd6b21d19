package dev.groundwork.bench;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CublasMatmul;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.memory.DeviceBuffer;
import dev.groundwork.kernels.ops.Bf16Kernels;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * GPU GEMM through the backend's cuBLAS binding: row-major C[M,N] = A[M,K] · B[K,N] in fp32, TF32
 * (fp32 storage, tensor cores with 10-bit inputs) and bf16 (inputs converted once, fp32 accumulate,
 * bf16 output: what the peer's autocast matmul does).
 * Shapes "MxKxN" are torch_peer.py's gemm workload. Each invocation queues BATCH back-to-back ops and
 * synchronizes once (JMH divides by BATCH), so the host's per-op synchronize round trip does not
 * inflate small GEMMs, as the peer's CUDA-event timing also excludes it; GFLOP/s = 2·M·N·K / (ms · 1e6).
 */
@State(Scope.Benchmark)
@OperationsPerInvocation(GpuGemmBench.BATCH)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class GpuGemmBench {
    /** Ops per JMH invocation (one synchronize per batch). */
    public static final int BATCH = 10;

    @Param({"1024x1024x1024", "4096x768x3072", "4096x3072x768", "4096x768x768", "8192x8192x8192"})
    public String shape;

    @Param({"fp32", "tf32", "bf16"})
    public String mode;

    private CudaBackend be;
    private Tensor a, b, c;
    private DeviceBuffer a16, b16, c16;
    private int m, k, n;

    @Setup
    public void setup() {
        be = GpuSupport.cuda();
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        SplittableRandom r = new SplittableRandom(1);
        a = random(r, m, k);
        b = random(r, k, n);
        c = be.empty(DType.F32, m, n);
        be.setTf32(mode.equals("tf32"));
        if (mode.equals("bf16")) {
            a16 = Bf16Kernels.toBf16(be, a);
            b16 = Bf16Kernels.toBf16(be, b);
            c16 = be.scratch((long) m * n * 2);
        }
        be.synchronize();
    }

    private static Tensor random(SplittableRandom r, int rows, int cols) {
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return Tensor.of(x, rows, cols).to(Device.cuda(0));
    }

    @Benchmark
    public void gemm() {
        for (int i = 0; i < BATCH; i++) {
            if (a16 != null) CublasMatmul.gemmBf16Out(be, a16, b16, c16, m, n, k);
            else be.matmul(a, b, c);
        }
        be.synchronize();
    }

    @TearDown
    public void tearDown() {
        if (a16 != null) { a16.close(); b16.close(); c16.close(); }
        a.close(); b.close(); c.close();
        be.emptyCache();
    }
}

package dev.groundwork.bench;

import dev.groundwork.engine.dist.ReduceOp;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.nccl.Nccl;
import dev.groundwork.kernels.nccl.NcclCommunicator;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * An all-reduce (average) of BERT-base's gradients, 110 M floats (440 MB) as one flat buffer, through
 * a one-rank NCCL communicator on the GPU: what the binding and the stream wait cost around NCCL's own
 * kernel. With one rank NCCL copies the buffer through its reduction kernel, so this times the
 * device-side floor of the data-parallel gradient step, not a network; the README's scaling section
 * adds the ring cost 2(N−1)/N × bytes / bus bandwidth for N ranks. {@code elements} shrinks the buffer
 * for a quick check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class GpuAllReduceBench {
    /** BERT-base's parameter count (embeddings, 12 layers, pooler). */
    @Param({"109482240"})
    public int elements;

    private NcclCommunicator comm;
    private Tensor grads;

    @Setup
    public void setup() {
        CudaBackend be = GpuSupport.cuda();
        comm = NcclCommunicator.create(be, 0, 1, Nccl.load().uniqueId(), null);
        grads = Tensor.randn(new Generator(0), elements).to(Device.cuda(0));
        comm.allReduce(grads, ReduceOp.AVERAGE);
    }

    @Benchmark
    public void allReduce() {
        comm.allReduce(grads, ReduceOp.AVERAGE);   // returns when the stream has finished it
    }

    @TearDown
    public void close() {
        if (comm != null) comm.close();
    }
}

package dev.groundwork.kernels.nccl;

import dev.groundwork.engine.dist.ReduceOp;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.CudaTestSupport;
import dev.groundwork.kernels.backend.CudaBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A one-rank NCCL communicator on the GPU (NCCL places one rank per device, and the test host has
 * one): all-reduce, all-gather, reduce-scatter and broadcast of device buffers against the CPU
 * reference. With one rank each collective is a copy through NCCL's kernels, which is what this
 * checks: the binding's argument order, counts, types and stream. Multi-rank behaviour is tested on
 * the CPU with MPI. Skipped without a GPU or without libnccl.
 */
class NcclCommunicatorTest {
    @Test
    void oneRankCollectivesOnDeviceBuffers() {
        CudaBackend cuda = CudaTestSupport.requireCuda();
        assumeTrue(Nccl.find().isPresent(), "NCCL test skipped: no libnccl.so.N (set GW_NCCL_LIB)");
        Nccl nccl = Nccl.load();
        try (NcclCommunicator c = NcclCommunicator.create(cuda, 0, 1, nccl.uniqueId(), null)) {
            SplittableRandom r = new SplittableRandom(18);
            Tensor host = CudaTestSupport.rand(r, 3, 1000, 7);
            for (ReduceOp op : ReduceOp.values()) {
                Tensor d = host.to(CudaTestSupport.CUDA).copy();
                c.allReduce(d, op);
                assertArrayEquals(host.toFloatArray(), d.to(Device.CPU).toFloatArray(), "all-reduce " + op + " over one rank");
            }
            Tensor g = c.allGather(host.to(CudaTestSupport.CUDA));
            assertArrayEquals(new int[]{1000, 7}, g.shape());
            assertArrayEquals(host.toFloatArray(), g.to(Device.CPU).toFloatArray(), "all-gather");
            Tensor rs = c.reduceScatter(host.to(CudaTestSupport.CUDA), ReduceOp.SUM);
            assertArrayEquals(host.toFloatArray(), rs.to(Device.CPU).toFloatArray(), "reduce-scatter");
            Tensor b = host.to(CudaTestSupport.CUDA).copy();
            c.broadcast(b, 0);
            assertArrayEquals(host.toFloatArray(), b.to(Device.CPU).toFloatArray(), "broadcast");
            byte[] bytes = "rendezvous".getBytes();
            assertEquals(Arrays.toString(bytes), Arrays.toString(c.broadcastBytes(bytes, 0)));
            c.barrier();
        }
    }
}

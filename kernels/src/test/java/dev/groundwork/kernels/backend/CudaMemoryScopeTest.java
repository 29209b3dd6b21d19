package dev.groundwork.kernels.backend;

import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.kernels.CudaTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Scoped training steps on the GPU hold a constant amount of device memory: nothing waits for the GC. */
class CudaMemoryScopeTest {
    @Test
    void scopedStepsDoNotGrowDeviceMemory() {
        CudaBackend be = CudaTestSupport.requireCuda();
        Generator gen = new Generator(5);
        Linear a = new Linear(64, 256, true, gen), b = new Linear(256, 8, true, gen);
        a.to(CudaTestSupport.CUDA);
        b.to(CudaTestSupport.CUDA);
        var params = new java.util.ArrayList<>(a.parameters());
        params.addAll(b.parameters());
        Adam opt = new Adam(params, 1e-3);
        Tensor x = Tensor.randn(gen, 32, 64).to(CudaTestSupport.CUDA);
        long[] after = new long[6];
        for (int step = 0; step < after.length; step++) {
            try (TensorScope s = TensorScope.open()) {
                opt.zeroGrad();
                Tensor loss = b.forward(a.forward(x).gelu()).square().mean();
                loss.backward();
                opt.step();
                assertTrue(Double.isFinite(loss.item()));
            }
            be.synchronize();
            after[step] = be.memoryStats().allocatedBytes();
        }
        // Step 0 creates grads and Adam's moments; from then on every step frees what it allocates.
        for (int i = 2; i < after.length; i++)
            assertEquals(after[1], after[i], "device memory after step " + i + " vs step 1: " + java.util.Arrays.toString(after));
    }
}

package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** cross_entropy.cu's one-pass loss and gradient against the engine's cross entropy on the CPU. */
class CrossEntropyKernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    @Test
    void crossEntropyLossAndGradientInOnePass() {
        CudaBackend be = requireCuda();
        int n = 9, c = 1001;
        Tensor logits = rand(r, 4, n, c);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(c);
        t[3] = -100;
        Tensor target = Tensor.ofLongs(t, n);
        Tensor lc = logits.detach().requiresGrad(true);
        Tensor want = F.crossEntropy(lc, target, -100, Losses.Reduction.MEAN);
        want.backward();
        Tensor loss = be.empty(DType.F32, n), dx = be.empty(DType.F32, n, c);
        int kept = CrossEntropyKernels.crossEntropy(be, logits.to(CUDA), target.to(CUDA), -100, loss, dx);
        assertEquals(n - 1, kept);
        assertEquals(want.item(), loss.sum().item() / kept, 1e-5 * Math.abs(want.item()));
        assertClose("cross_entropy grad", dx, lc.grad(), 1e-5);
    }
}

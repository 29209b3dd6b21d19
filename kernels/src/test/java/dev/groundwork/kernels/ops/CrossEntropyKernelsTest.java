package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** cross_entropy.cu's one-pass loss and gradient behind F.crossEntropy against the composition on the CPU. */
class CrossEntropyKernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    @ParameterizedTest
    @EnumSource(Losses.Reduction.class)
    void lossAndGradientInOnePass(Losses.Reduction reduction) {
        CudaBackend be = requireCuda();
        assertNotNull(be.kernel(Losses.CrossEntropyKernel.class), "the fused kernel is registered");
        int n = 9, c = 1001;
        Tensor logits = rand(r, 4, n, c);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(c);
        t[3] = -100;
        Tensor target = Tensor.ofLongs(t, n);
        Tensor lc = logits.detach().requiresGrad(true), lg = logits.to(CUDA).requiresGrad(true);
        Tensor want = F.crossEntropy(lc, target, -100, reduction), got = F.crossEntropy(lg, target.to(CUDA), -100, reduction);
        want.mul(0.7).backward();
        got.mul(0.7).backward();
        assertEquals(want.item(), got.item(), 1e-5 * Math.abs(want.item()));
        assertClose("cross_entropy grad", lg.grad(), lc.grad(), 1e-5);
    }
}

package dev.groundwork.kernels.ops;

import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** add_dropout.cu's kernels against the op-by-op composition with the random backend's mask. */
class AddDropoutKernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    @Test
    void addDropoutUsesTheSameMaskAsTheRandomBackend() {
        CudaBackend be = requireCuda();
        int n = 10007;
        double keep = 0.9;
        Tensor x = rand(r, 1, n), res = rand(r, 1, n), g = rand(r, 1, n);
        Tensor mask = Tensor.zeros(n);
        mask.backend().random(mask, Backend.RandomKind.BERNOULLI, 42, 1000, keep, 0);
        Tensor want = res.add(x.mul(mask).div(keep));
        Tensor y = be.empty(DType.F32, n), dx = be.empty(DType.F32, n);
        AddDropoutKernels.addDropout(be, x.to(CUDA), res.to(CUDA), y, keep, 42, 1000);
        AddDropoutKernels.dropoutBackward(be, g.to(CUDA), dx, keep, 42, 1000);
        assertClose("add_dropout", y, want, 1e-6);
        assertClose("dropout backward", dx, g.mul(mask).div(keep), 1e-6);
    }
}

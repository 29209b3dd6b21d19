package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** sq_norm.cu's squared norm: right, and the same bits every time. */
class SqNormKernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    @Test
    void squaredNormIsDeterministicAndRight() {
        CudaBackend be = requireCuda();
        Tensor a = rand(r, 1, 1 << 20), b = rand(r, 1, 333);
        double want = a.square().sum().item() + b.square().sum().item();
        double got = SqNormKernels.squaredNorm(be, a.to(CUDA), b.to(CUDA));
        assertEquals(want, got, 1e-5 * want);
        assertEquals(got, SqNormKernels.squaredNorm(be, a.to(CUDA), b.to(CUDA)), 0.0, "same order, same bits");
    }
}

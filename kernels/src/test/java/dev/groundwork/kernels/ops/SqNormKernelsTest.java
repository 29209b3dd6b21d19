package dev.groundwork.kernels.ops;

import dev.groundwork.engine.optim.GradClip;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** sq_norm.cu's squared norms behind GradClip: right, the same bits every time, and not offered for what they do not cover. */
class SqNormKernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    @Test
    void squaredNormsAreDeterministicAndRight() {
        CudaBackend be = requireCuda();
        GradClip.SquaredNormKernel k = be.kernel(GradClip.SquaredNormKernel.class);
        assertNotNull(k, "the kernel is registered");
        Tensor a = rand(r, 1, 1 << 20), b = rand(r, 1, 333), empty = Tensor.zeros(0);
        List<Tensor> gs = List.of(a.to(CUDA), b.to(CUDA), empty.to(CUDA));
        double[] got = k.squaredNorms(gs);
        assertEquals(a.square().sum().item(), got[0], 1e-5 * got[0]);
        assertEquals(b.square().sum().item(), got[1], 1e-5 * got[1]);
        assertEquals(0, got[2]);
        assertArrayEquals(got, k.squaredNorms(gs), "same order, same bits");
        assertNull(k.squaredNorms(List.of(a.reshape(1024, 1024).to(CUDA).mT())), "a transposed view composes");
        assertNull(k.squaredNorms(List.of(b)), "a CPU tensor is not this kernel's");
    }
}

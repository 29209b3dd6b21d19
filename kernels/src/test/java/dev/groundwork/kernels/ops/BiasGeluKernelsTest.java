package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** bias_gelu.cu's kernels against the op-by-op composition on the CPU backend. */
class BiasGeluKernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    @Test
    void biasGeluForwardAndBackward() {
        CudaBackend be = requireCuda();
        Tensor x = rand(r, 3, 37, 129), b = rand(r, 1, 129), g = rand(r, 1, 37, 129);
        Tensor xc = x.detach().requiresGrad(true);
        Tensor want = xc.add(b).gelu();
        want.backward(g);
        Tensor y = be.empty(DType.F32, 37, 129), dx = be.empty(DType.F32, 37, 129);
        BiasGeluKernels.forward(be, x.to(CUDA), b.to(CUDA), y);
        BiasGeluKernels.backward(be, g.to(CUDA), x.to(CUDA), b.to(CUDA), dx);
        assertClose("bias_gelu", y, want, 1e-6);
        assertClose("bias_gelu backward", dx, xc.grad(), 1e-6);
    }
}

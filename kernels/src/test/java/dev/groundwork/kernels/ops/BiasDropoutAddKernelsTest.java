package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * bias_dropout_add.cu behind F.biasDropoutAdd against the composition on the CPU: the same Philox mask
 * as Dropout draws and the same float arithmetic, so output and input gradients agree bit for bit;
 * the bias gradient (a column sum in another order) to rounding.
 */
class BiasDropoutAddKernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    @ParameterizedTest(name = "p = {0}, training = {1}")
    @CsvSource({"0.1, true", "0.5, true", "0.1, false"})
    void fusedIsTheCompositionBitForBit(double p, boolean training) {
        CudaBackend be = requireCuda();
        Tensor x = rand(r, 2, 37, 129), b = rand(r, 1, 129), res = rand(r, 1, 37, 129), g = rand(r, 1, 37, 129);
        Tensor xc = x.detach().requiresGrad(true), bc = b.detach().requiresGrad(true), rc = res.detach().requiresGrad(true);
        Tensor want = F.biasDropoutAdd(xc, bc, rc, p, training, new Generator(42));
        want.backward(g);
        Tensor xg = x.to(CUDA).requiresGrad(true), bg = b.to(CUDA).requiresGrad(true), rg = res.to(CUDA).requiresGrad(true);
        Generator gen = new Generator(42);
        Tensor got = F.biasDropoutAdd(xg, bg, rg, p, training, gen);
        got.backward(g.to(CUDA));
        assertArrayEquals(want.toFloatArray(), got.toFloatArray(), "output");
        assertArrayEquals(xc.grad().toFloatArray(), xg.grad().toFloatArray(), "grad x");
        assertArrayEquals(rc.grad().toFloatArray(), rg.grad().toFloatArray(), "grad residual");
        assertClose("grad bias", bg.grad(), bc.grad(), 1e-6);
        assertEquals(training ? 37 * 129 : 0, gen.offset(), "the dropout stream advances as Dropout's does");
        assertNotNull(be.kernel(dev.groundwork.engine.ops.BiasDropoutAdd.Kernel.class), "the fused kernel is registered");
    }
}

package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.vgbert.TwoWayContrastive;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.cuda.RowGeometry;
import dev.groundwork.kernels.cuda.DeviceTensors;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static dev.groundwork.kernels.ops.MatchmapKernelsTest.assertRel;
import static org.junit.jupiter.api.Assertions.*;

/** The fused two-way InfoNCE and the pooled cosine variant against the engine's CPU composite ops. */
class ContrastiveKernelsTest {
    private static final double TOL = 1e-4;
    private final SplittableRandom r = new SplittableRandom(5);

    // ------------------------------------------------------------------ CPU only

    @Test
    void argumentErrorsNameTheBadShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> ContrastiveKernels.forward(null, rand(r, 1, 3, 4), 0.1));
        assertTrue(e.getMessage().contains("[3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ContrastiveKernels.forward(null, rand(r, 1, 3, 3), 0));
        assertTrue(e.getMessage().contains("sigma"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ContrastiveKernels.pooledForward(null, rand(r, 1, 4, 6), rand(r, 1, 4, 5), 0.1));
        assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("[4, 6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ContrastiveKernels.lossAndGrad(null, rand(r, 1, 3, 3), 0.1, 1, 1));
        assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
    }

    @Test
    void blockSizesArePowersOfTwoBetween32And256() {
        assertEquals(32, RowGeometry.lineThreads(1));
        assertEquals(32, RowGeometry.lineThreads(32));
        assertEquals(64, RowGeometry.lineThreads(33));
        assertEquals(256, RowGeometry.lineThreads(256));
        assertEquals(256, RowGeometry.lineThreads(100_000));
    }

    // ------------------------------------------------------------------ GPU

    @Test
    void twoWaySmallOddBatch() {
        checkTwoWay(requireCuda(), 7, 2.0, 0.3, 0.7, 1.3);
    }

    @Test
    void twoWayBatchLargerThanABlock() {
        checkTwoWay(requireCuda(), 300, 1.0, 0.1, 1.0, 1.0);
    }

    @Test
    void pooledSmall() {
        checkPooled(requireCuda(), 6, 37, 0.1, 0.6, 1.4);
    }

    @Test
    void pooledWideRows() {
        checkPooled(requireCuda(), 5, 300, 0.1, 1.0, 1.0);
    }

    private void checkTwoWay(CudaBackend be, int b, double scale, double sigma, double g1, double g2) {
        Tensor sim = rand(r, scale, b, b);
        Tensor sc = sim.detach().requiresGrad(true);
        Tensor[] want = TwoWayContrastive.losses(sc, sigma);
        want[0].mul(g1).add(want[1].mul(g2)).backward();
        try (Tensor sg = sim.to(CUDA); ContrastiveKernels.TwoWay s = ContrastiveKernels.forward(be, sg, sigma)) {
            float[] losses = s.losses().to(Device.CPU).toFloatArray();
            assertRel("loss_i2l", losses[0], want[0].item());
            assertRel("loss_l2i", losses[1], want[1].item());
            try (Tensor dsim = ContrastiveKernels.backward(be, s, g1, g2)) {
                assertClose("contrastive dsim", dsim, sc.grad(), TOL);
            }
            // Upstream scalars left on the device.
            try (Tensor d1 = Tensor.of(new float[]{(float) g1}, 1).to(CUDA); Tensor d2 = Tensor.of(new float[]{(float) g2}, 1).to(CUDA);
                 Tensor dsim = ContrastiveKernels.backward(be, s, d1, d2)) {
                assertClose("contrastive dsim (device scalars)", dsim, sc.grad(), TOL);
            }
            // Forward and gradient in the same launches.
            Tensor[] both = ContrastiveKernels.lossAndGrad(be, sg, sigma, g1, g2);
            float[] l2 = both[0].to(Device.CPU).toFloatArray();
            assertRel("lossAndGrad loss_i2l", l2[0], want[0].item());
            assertRel("lossAndGrad loss_l2i", l2[1], want[1].item());
            assertClose("lossAndGrad dsim", both[1], sc.grad(), TOL);
            DeviceTensors.closeAll(both[0], both[1], s.losses());
        }
    }

    private void checkPooled(CudaBackend be, int b, int d, double sigma, double g1, double g2) {
        Tensor img = rand(r, 1, b, d), lang = rand(r, 1, b, d);
        Tensor ic = img.detach().requiresGrad(true), lc = lang.detach().requiresGrad(true);
        Tensor[] want = TwoWayContrastive.pooled(ic, lc, sigma);
        want[0].mul(g1).add(want[1].mul(g2)).backward();
        boolean tf32 = be.tf32();
        be.setTf32(false);
        try (Tensor ig = img.to(CUDA); Tensor lg = lang.to(CUDA); ContrastiveKernels.Pooled s = ContrastiveKernels.pooledForward(be, ig, lg, sigma)) {
            float[] losses = s.losses().to(Device.CPU).toFloatArray();
            assertRel("pooled loss_i2l", losses[0], want[0].item());
            assertRel("pooled loss_l2i", losses[1], want[1].item());
            Tensor[] grads = ContrastiveKernels.pooledBackward(be, s, g1, g2);
            assertClose("pooled dImage", grads[0], ic.grad(), TOL);
            assertClose("pooled dLanguage", grads[1], lc.grad(), TOL);
            DeviceTensors.closeAll(grads[0], grads[1], s.losses());
        } finally {
            be.setTf32(tf32);
        }
    }
}

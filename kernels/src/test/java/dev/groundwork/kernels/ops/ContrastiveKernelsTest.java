package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.vgbert.TwoWayContrastive;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.cuda.RowGeometry;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static dev.groundwork.kernels.ops.MatchmapKernelsTest.assertRel;
import static org.junit.jupiter.api.Assertions.*;

/** The fused two-way InfoNCE, alone and under the pooled cosine variant, against the engine's CPU composite ops. */
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
        e = assertThrows(IllegalArgumentException.class, () -> ContrastiveKernels.forward(null, rand(r, 1, 3, 3), 0.1));
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
            s.losses().close();
        }
    }

    private void checkPooled(CudaBackend be, int b, int d, double sigma, double g1, double g2) {
        Tensor img = rand(r, 1, b, d), lang = rand(r, 1, b, d);
        Tensor ic = img.detach().requiresGrad(true), lc = lang.detach().requiresGrad(true);
        Tensor[] want = TwoWayContrastive.pooled(ic, lc, sigma);
        want[0].mul(g1).add(want[1].mul(g2)).backward();
        boolean tf32 = be.tf32();
        be.setTf32(false);
        try {
            // The cosine similarity composed on the device, then the fused two-way kernel under it.
            Tensor ig = img.to(CUDA).requiresGrad(true), lg = lang.to(CUDA).requiresGrad(true);
            Tensor[] got = TwoWayContrastive.pooled(ig, lg, sigma);
            assertRel("pooled loss_i2l", (float) got[0].item(), want[0].item());
            assertRel("pooled loss_l2i", (float) got[1].item(), want[1].item());
            got[0].mul(g1).add(got[1].mul(g2)).backward();
            assertClose("pooled dImage", ig.grad(), ic.grad(), TOL);
            assertClose("pooled dLanguage", lg.grad(), lc.grad(), TOL);
        } finally {
            be.setTf32(tf32);
        }
    }
}

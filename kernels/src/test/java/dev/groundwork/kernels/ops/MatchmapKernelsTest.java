package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.vgbert.MatchmapSimilarity;
import dev.groundwork.engine.ops.vgbert.VgBertOps;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.cuda.DeviceTensors;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** The fused matchmap similarity and stage-2 loss against the engine's CPU composite ops. */
class MatchmapKernelsTest {
    private static final double TOL = 1e-4;
    private final SplittableRandom r = new SplittableRandom(23);

    // ------------------------------------------------------------------ CPU only

    @Test
    void argumentErrorsNameTheBadShape() {
        Tensor img = rand(r, 1, 5, 24, 3, 3), nw = Tensor.ofLongs(new long[]{1, 2, 3, 4, 5}, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> MatchmapKernels.forward(null, img, rand(r, 1, 5, 6, 23), nw));
        assertTrue(e.getMessage().contains("[5, 6, 23]") && e.getMessage().contains("[5, 24, 3, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatchmapKernels.forward(null, img, rand(r, 1, 4, 6, 24), nw));
        assertTrue(e.getMessage().contains("[4, 6, 24]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatchmapKernels.forward(null, rand(r, 1, 5, 24), rand(r, 1, 5, 6, 24), nw));
        assertTrue(e.getMessage().contains("[5, 24]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatchmapKernels.forward(null, img, rand(r, 1, 5, 6, 24), Tensor.ofLongs(new long[]{1, 2, 3, 4}, 4)));
        assertTrue(e.getMessage().contains("nwords [4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatchmapKernels.forward(null, img, rand(r, 1, 5, 6, 24), rand(r, 1, 5)));
        assertTrue(e.getMessage().contains("I64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatchmapKernels.forward(null, img, rand(r, 1, 5, 6, 24), nw));
        assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
    }

    // ------------------------------------------------------------------ GPU

    @Test
    void smallOddSizesWithEmptyAndOverlongCaptions() {
        CudaBackend be = requireCuda();
        checkLoss(be, 5, 24, 3, 3, 6, new long[]{0, 3, 6, 9, 1}, 1.0, 2.0, 0.7, 1.3);
    }

    @Test
    void severalRowCellAndDepthTiles() {
        CudaBackend be = requireCuda();
        // 104 kept rows (two 64-row tiles), P = 100 (two cell tiles), D = 70 (five depth stages, the last partial).
        checkLoss(be, 12, 70, 10, 10, 11, new long[]{11, 11, 15, 0, 11, 9, 11, -3, 11, 6, 11, 10}, 1.0, 0.5, 1.0, 1.0);
    }

    @Test
    void paperLikeShapesAtSigmaPointOne() {
        CudaBackend be = requireCuda();
        long[] nw = new long[16];
        for (int i = 0; i < nw.length; i++) nw[i] = 1 + r.nextInt(34);
        // Inputs scaled so that sim/sigma stays O(10): the fp32 rounding of either side then stays far below 1e-4.
        checkLoss(be, 16, 96, 14, 14, 32, nw, 0.3, 0.1, 1.0, 1.0);
    }

    @Test
    void similarityBackwardAloneWithRandomUpstream() {
        CudaBackend be = requireCuda();
        int b = 7, d = 33, h = 5, w = 3, t = 9;
        long[] nw = {4, 0, 9, 12, 2, 7, 1};
        Tensor img = rand(r, 1, b, d, h, w), lang = rand(r, 1, b, t, d), g = rand(r, 1, b, b);
        Tensor nwords = Tensor.ofLongs(nw, b);
        Tensor ic = img.detach().requiresGrad(true), lc = lang.detach().requiresGrad(true);
        Tensor want = MatchmapSimilarity.similarity(ic, lc, nwords);
        want.backward(g);
        try (Tensor ig = img.to(CUDA); Tensor lg = lang.to(CUDA); Tensor ng = nwords.to(CUDA); Tensor gg = g.to(CUDA);
             MatchmapKernels.Saved s = MatchmapKernels.forward(be, ig, lg, ng)) {
            assertClose("matchmap sim", s.sim(), want, TOL);
            Tensor[] grads = MatchmapKernels.backward(be, s, gg);
            assertArrayEquals(img.shape(), grads[0].shape());
            assertArrayEquals(lang.shape(), grads[1].shape());
            assertClose("matchmap dImage", grads[0], ic.grad(), TOL);
            assertClose("matchmap dLanguage", grads[1], lc.grad(), TOL);
            // Deterministic: a second backward gives the same bits.
            Tensor[] again = MatchmapKernels.backward(be, s, gg);
            assertArrayEquals(grads[0].toFloatArray(), again[0].toFloatArray());
            assertArrayEquals(grads[1].toFloatArray(), again[1].toFloatArray());
            // The transposed image in chunks (3 + 3 + 1 images): the same sums in the same order, same bits.
            Tensor[] chunked = MatchmapKernels.backward(be, s, gg, 3);
            assertArrayEquals(grads[0].toFloatArray(), chunked[0].toFloatArray());
            assertArrayEquals(grads[1].toFloatArray(), chunked[1].toFloatArray());
            DeviceTensors.closeAll(grads[0], grads[1], again[0], again[1], chunked[0], chunked[1], s.sim());
        }
    }

    /**
     * With the backend's TF32 mode and its matchmap switch on, the max runs on tensor cores (matchmap_tf32.cu): against the
     * composite on tf32-rounded inputs (in float64) it agrees to fp32 accumulation, gradients included.
     */
    @Test
    void tf32KernelMatchesTheCompositeOnTf32RoundedInputs() {
        CudaBackend be = requireCuda();
        boolean was = be.tf32(), wasMm = be.matchmapTf32();
        be.setTf32(true);
        be.setMatchmapTf32(true);
        try {
            int b = 6, d = 100, h = 9, w = 14, t = 13;   // P = 126: two cell tiles; D: four depth stages
            long[] nw = {4, 0, 13, 20, 2, 7};
            Tensor img = Tensor.of(MatchmapTf32EmulationTest.tf32(rand(r, 1, b, d, h, w).toFloatArray()), b, d, h, w);
            Tensor lang = Tensor.of(MatchmapTf32EmulationTest.tf32(rand(r, 1, b, t, d).toFloatArray()), b, t, d);
            Tensor g = rand(r, 1, b, b), nwords = Tensor.ofLongs(nw, b);
            Tensor ic = img.to(dev.groundwork.engine.tensor.DType.F64).requiresGrad(true), lc = lang.to(dev.groundwork.engine.tensor.DType.F64).requiresGrad(true);
            Tensor want = MatchmapSimilarity.similarity(ic, lc, nwords);
            want.backward(g.to(dev.groundwork.engine.tensor.DType.F64));
            try (Tensor ig = img.to(CUDA); Tensor lg = lang.to(CUDA); Tensor ng = nwords.to(CUDA); Tensor gg = g.to(CUDA);
                 MatchmapKernels.Saved s = MatchmapKernels.forward(be, ig, lg, ng)) {
                assertClose("tf32 matchmap sim", s.sim(), want, TOL);
                Tensor[] grads = MatchmapKernels.backward(be, s, gg);
                assertClose("tf32 matchmap dImage", grads[0], ic.grad(), TOL);
                assertClose("tf32 matchmap dLanguage", grads[1], lc.grad(), TOL);
                DeviceTensors.closeAll(grads[0], grads[1], s.sim());
            }
        } finally {
            be.setTf32(was);
            be.setMatchmapTf32(wasMm);
        }
    }

    @Test
    void imageChunksForTheLanguageGradientStayUnder16MiB() {
        assertEquals(27, MatchmapKernels.chunkImages(196, 768, 180), "602 KB per image at the paper's shape");
        assertEquals(5, MatchmapKernels.chunkImages(196, 768, 5), "never more than the batch");
        assertEquals(1, MatchmapKernels.chunkImages(4096, 4096, 8), "at least one image, however large");
    }

    @Test
    void imageAsBdpAndNonContiguousInputs() {
        CudaBackend be = requireCuda();
        int b = 4, d = 19, p = 13, t = 5;
        long[] nw = {5, 2, 3, 8};
        Tensor img = rand(r, 1, b, d, p), nwords = Tensor.ofLongs(nw, b);
        Tensor langTd = rand(r, 1, b, d, t);                       // language stored as [B,D,T]
        Tensor lang = langTd.transpose(1, 2);                      // a [B,T,D] view, not contiguous
        Tensor want = MatchmapSimilarity.similarity(img.reshape(b, d, p, 1), lang.contiguous(), nwords);
        try (Tensor ig = img.to(CUDA); Tensor ltd = langTd.to(CUDA); Tensor ng = nwords.to(CUDA);
             Tensor lv = ltd.transpose(1, 2)) {
            assertFalse(lv.isContiguous());
            try (MatchmapKernels.Saved s = MatchmapKernels.forward(be, ig, lv, ng); Tensor sim = s.sim()) {
                assertClose("matchmap sim [B,D,P]", sim, want, TOL);
            }
        }
    }

    @Test
    void releasesEveryTemporary() {
        CudaBackend be = requireCuda();
        Tensor img = rand(r, 1, 6, 20, 4, 5), lang = rand(r, 1, 6, 7, 20);
        Tensor nwords = Tensor.ofLongs(new long[]{7, 3, 0, 9, 5, 2}, 6);
        try (Tensor ig = img.to(CUDA); Tensor lg = lang.to(CUDA); Tensor ng = nwords.to(CUDA)) {
            be.synchronize();
            long before = be.memoryStats().allocatedBytes();
            for (int rep = 0; rep < 2; rep++) {
                Tensor[] grads;
                try (MatchmapKernels.Saved s = MatchmapKernels.forward(be, ig, lg, ng);
                     ContrastiveKernels.TwoWay ce = ContrastiveKernels.forward(be, s.sim(), 0.1)) {
                    try (Tensor dsim = ContrastiveKernels.backward(be, ce, 1, 1)) {
                        grads = MatchmapKernels.backward(be, s, dsim);
                    }
                    DeviceTensors.closeAll(s.sim(), ce.losses());
                }
                DeviceTensors.closeAll(grads[0], grads[1]);
            }
            be.synchronize();
            assertEquals(before, be.memoryStats().allocatedBytes(), () -> "leaked: " + be.memoryStats());
        }
    }

    /** sim, both losses and both input gradients of g1 * loss_i2l + g2 * loss_l2i. */
    private void checkLoss(CudaBackend be, int b, int d, int h, int w, int t, long[] nw, double scale, double sigma, double g1, double g2) {
        Tensor img = rand(r, scale, b, d, h, w), lang = rand(r, scale, b, t, d);
        Tensor nwords = Tensor.ofLongs(nw, b);
        Tensor simWant = MatchmapSimilarity.similarity(img, lang, nwords);
        Tensor ic = img.detach().requiresGrad(true), lc = lang.detach().requiresGrad(true);
        Tensor[] want = VgBertOps.matchmapContrastive(ic, lc, nwords, sigma);
        want[0].mul(g1).add(want[1].mul(g2)).backward();
        try (Tensor ig = img.to(CUDA); Tensor lg = lang.to(CUDA); Tensor ng = nwords.to(CUDA);
             MatchmapKernels.Saved s = MatchmapKernels.forward(be, ig, lg, ng);
             ContrastiveKernels.TwoWay ce = ContrastiveKernels.forward(be, s.sim(), sigma)) {
            assertClose("matchmap sim", s.sim(), simWant, TOL);
            float[] losses = ce.losses().to(Device.CPU).toFloatArray();
            assertRel("loss_i2l", losses[0], want[0].item());
            assertRel("loss_l2i", losses[1], want[1].item());
            Tensor[] grads;
            try (Tensor dsim = ContrastiveKernels.backward(be, ce, g1, g2)) {
                grads = MatchmapKernels.backward(be, s, dsim);
            }
            assertClose("matchmap loss dImage", grads[0], ic.grad(), TOL);
            assertClose("matchmap loss dLanguage", grads[1], lc.grad(), TOL);
            DeviceTensors.closeAll(grads[0], grads[1], s.sim(), ce.losses());
        }
    }

    static void assertRel(String what, double got, double want) {
        double e = Math.abs(got - want) / Math.max(Math.abs(want), 1e-30);
        assertTrue(e <= TOL, () -> what + ": got " + got + ", want " + want + " (relative error " + e + ")");
    }
}

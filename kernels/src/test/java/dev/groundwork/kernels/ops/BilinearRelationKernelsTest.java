package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.vgbert.BilinearRelation;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.cuda.DeviceTensors;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** The fused bilinear relation operator against the engine's CPU composite op. */
class BilinearRelationKernelsTest {
    private static final double TOL = 1e-4;
    private final SplittableRandom r = new SplittableRandom(17);

    // ------------------------------------------------------------------ CPU only

    @Test
    void argumentErrorsNameTheBadShape() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> BilinearRelationKernels.forward(null, rand(r, 1, 2, 3, 5), rand(r, 1, 4, 5, 6)));
        assertTrue(e.getMessage().contains("[4, 5, 6]") && e.getMessage().contains("[2, 3, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BilinearRelationKernels.forward(null, rand(r, 1, 2, 3, 65), rand(r, 1, 4, 65, 65)));
        assertTrue(e.getMessage().contains("[2, 3, 65]") && e.getMessage().contains("64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BilinearRelationKernels.forward(null, rand(r, 1, 2, 65, 8), rand(r, 1, 4, 8, 8)));
        assertTrue(e.getMessage().contains("[2, 65, 8]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BilinearRelationKernels.backward(null, rand(r, 1, 3, 5), rand(r, 1, 4, 5, 5), rand(r, 1, 1), true, true));
        assertTrue(e.getMessage().contains("[3, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BilinearRelationKernels.forward(null, rand(r, 1, 2, 3, 5), rand(r, 1, 4, 5, 5)));
        assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
    }

    @Test
    void chunkPlansCoverEveryItemExactlyOnce() {
        for (int other : new int[]{1, 2, 3, 64, 115, 1000})
            for (int items : new int[]{1, 2, 7, 115, 1000})
                for (int target : new int[]{1, 100, 528}) {
                    int[] p = BilinearRelationKernels.chunks(other, items, target);
                    int per = p[0], count = p[1];
                    assertTrue(per >= 1 && count >= 1, () -> other + "/" + items + "/" + target);
                    assertTrue((long) per * count >= items && (long) per * (count - 1) < items,
                            () -> "chunks(" + other + ", " + items + ", " + target + ") = " + per + " x " + count);
                }
        assertArrayEquals(new int[]{1, 115}, BilinearRelationKernels.chunks(2, 115, 528));   // small B: one k per block
        assertArrayEquals(new int[]{115, 1}, BilinearRelationKernels.chunks(1000, 115, 528)); // enough blocks already
    }

    // ------------------------------------------------------------------ GPU

    @Test
    void smallOddSizes() {
        check(requireCuda(), 3, 7, 5, 4);
    }

    @Test
    void paperSizes() {
        check(requireCuda(), 2, 32, 32, 115);
    }

    @Test
    void largestSizesUseOptInSharedMemory() {
        check(requireCuda(), 2, 64, 64, 3);
    }

    @Test
    void unevenObjectsAndSubspace() {
        check(requireCuda(), 5, 33, 63, 9);
        check(requireCuda(), 4, 64, 1, 2);
        check(requireCuda(), 1, 1, 17, 6);
    }

    @Test
    void onlyTheRequestedGradients() {
        CudaBackend be = requireCuda();
        try (Tensor z = rand(r, 1, 2, 4, 3).to(CUDA); Tensor m = rand(r, 0.3, 5, 3, 3).to(CUDA); Tensor g = rand(r, 1, 2, 5, 4, 4).to(CUDA)) {
            Tensor[] a = BilinearRelationKernels.backward(be, z, m, g, true, false);
            assertNotNull(a[0]);
            assertNull(a[1]);
            Tensor[] b = BilinearRelationKernels.backward(be, z, m, g, false, true);
            assertNull(b[0]);
            assertNotNull(b[1]);
            DeviceTensors.closeAll(a[0], b[1]);
        }
    }

    private void check(CudaBackend be, int b, int o, int s, int k) {
        Tensor z = rand(r, 1, b, o, s), m = rand(r, 0.3, k, s, s), g = rand(r, 1, b, k, o, o);
        Tensor zc = z.detach().requiresGrad(true), mc = m.detach().requiresGrad(true);
        Tensor want = BilinearRelation.scores(zc, mc);
        want.backward(g);
        String at = " at B=" + b + " O=" + o + " S=" + s + " K=" + k;
        try (Tensor zg = z.to(CUDA); Tensor mg = m.to(CUDA); Tensor gg = g.to(CUDA)) {
            be.synchronize();
            long before = be.memoryStats().allocatedBytes();
            Tensor got = BilinearRelationKernels.forward(be, zg, mg);
            assertArrayEquals(new int[]{b, k, o, o}, got.shape());
            assertClose("bilinear scores" + at, got, want, TOL);
            Tensor[] grads = BilinearRelationKernels.backward(be, zg, mg, gg, true, true);
            assertClose("bilinear dObjects" + at, grads[0], zc.grad(), TOL);
            assertClose("bilinear dRelations" + at, grads[1], mc.grad(), TOL);
            DeviceTensors.closeAll(got, grads[0], grads[1]);
            be.synchronize();
            assertEquals(before, be.memoryStats().allocatedBytes(), () -> "leaked" + at + ": " + be.memoryStats());
        }
    }
}

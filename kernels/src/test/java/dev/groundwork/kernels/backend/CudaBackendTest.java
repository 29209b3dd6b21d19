package dev.groundwork.kernels.backend;

import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.ops.Attention;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.vgbert.BilinearRelation;
import dev.groundwork.engine.ops.vgbert.MatchmapSimilarity;
import dev.groundwork.engine.ops.vgbert.TwoWayContrastive;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.CudaTestSupport;
import dev.groundwork.kernels.memory.CudaOutOfMemoryError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Backend behaviour beyond op parity: transfers, memory, TF32, both convolution paths, random streams, errors. */
class CudaBackendTest {
    private final SplittableRandom r = new SplittableRandom(7);

    @Test
    void availabilityExplainsItself() {
        var a = Backends.availability(Device.Type.CUDA);
        assertTrue(a.available() || !a.reason().isBlank(), "an unavailable backend must say why");
        if (!a.available()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.zeros(DType.F32, Device.cuda(0), 2));
            assertFalse(e.getMessage().isBlank());
        }
    }

    /** The fused op kernels come from the host classes by interface; switched off, every op composes primitives. */
    @Test
    void fusedKernelsAreLookedUpByInterfaceAndHiddenWhenSwitchedOff() {
        CudaBackend be = requireCuda();
        List<Class<?>> kinds = List.of(Attention.Kernel.class, MatchmapSimilarity.Kernel.class, TwoWayContrastive.Kernel.class,
                BilinearRelation.Kernel.class);
        try {
            be.setFused(true);
            for (Class<?> k : kinds) assertNotNull(be.kernel(k), k.getName());
            assertNull(be.kernel(Runnable.class), "an interface no host class implements");
            be.setFused(false);
            for (Class<?> k : kinds) assertNull(be.kernel(k), k.getName() + " with fused kernels off");
        } finally {
            be.setFused(dev.groundwork.engine.settings.Settings.current().fused());
        }
    }

    @Test
    void everyDtypeRoundTrips() {
        requireCuda();
        float[] f = {1.5f, -2.25f, 3e-8f};
        double[] d = {Math.PI, -1e300, 5e-324};
        long[] l = {Long.MAX_VALUE, -3, 1L << 53 | 1};
        int[] i = {Integer.MIN_VALUE, 0, 42};
        assertArrayEquals(f, Tensor.of(f, 3).to(CUDA).toFloatArray());
        assertArrayEquals(d, Tensor.of(d, 3).to(CUDA).toDoubleArray());
        assertArrayEquals(l, Tensor.ofLongs(l, 3).to(CUDA).toLongArray());
        assertArrayEquals(new long[]{Integer.MIN_VALUE, 0, 42}, Tensor.ofInts(i, 3).to(CUDA).toLongArray());
        Tensor big = rand(r, 1, 1 << 20);
        assertArrayEquals(big.toFloatArray(), big.to(CUDA).add(0.0).to(Device.CPU).toFloatArray());
    }

    @Test
    void memoryIsReturnedWhenTensorsCloseAndEmptyCacheReleasesIt() {
        CudaBackend be = requireCuda();
        be.synchronize();
        long before = be.memoryStats().allocatedBytes();
        Tensor a = Tensor.zeros(DType.F32, CUDA, 1 << 22);
        Tensor v = a.narrow(0, 10, 100);
        assertEquals(before + (16L << 20), be.memoryStats().allocatedBytes());
        a.close();
        assertEquals(before + (16L << 20), be.memoryStats().allocatedBytes(), "a view keeps the storage alive");
        v.close();
        assertEquals(before, be.memoryStats().allocatedBytes());
        Tensor b = Tensor.zeros(DType.F32, CUDA, 1 << 22);
        assertTrue(be.memoryStats().cacheHits() > 0, "the freed block is reused");
        b.close();
        be.emptyCache();
        assertTrue(be.memoryStats().reservedBytes() <= be.memoryStats().allocatedBytes() + (64L << 20));
    }

    @Test
    void outOfMemoryNamesTheRequestAndTheStatistics() {
        CudaBackend be = requireCuda();
        long huge = be.context().totalMemory() * 2;
        CudaOutOfMemoryError e = assertThrows(CudaOutOfMemoryError.class, () -> be.allocator().allocate(huge, be.context().computeStreamAddress()));
        assertTrue(e.getMessage().contains("tried to allocate") && e.getMessage().contains("reserved"), e.getMessage());
    }

    @Test
    void tf32GemmStaysWithinItsStatedTolerance() {
        CudaBackend be = requireCuda();
        Tensor a = rand(r, 1, 256, 512), b = rand(r, 1, 512, 128);
        Tensor want = a.matmul(b);
        boolean was = be.tf32();
        try {
            be.setTf32(true);
            // TF32 keeps 10 mantissa bits: ~5e-4 relative per product, averaging down over K.
            assertClose("tf32 matmul", a.to(CUDA).matmul(b.to(CUDA)), want, 2e-3);
            be.setTf32(false);
            assertClose("fp32 matmul", a.to(CUDA).matmul(b.to(CUDA)), want, 1e-5);
        } finally {
            be.setTf32(was);
        }
    }

    @Test
    void ownConvolutionMatchesCudnnAndCpu() {
        CudaBackend be = requireCuda();
        boolean was = be.tf32();
        be.setTf32(false);
        try {
            Tensor x = rand(r, 1, 2, 5, 13, 11), w = rand(r, 1, 6, 5, 3, 3), bias = rand(r, 1, 6);
            for (boolean own : new boolean[]{false, true}) {
                be.forceOwnConvolution(own);
                Tensor xc = x.detach().requiresGrad(true), wc = w.detach().requiresGrad(true), bc = bias.detach().requiresGrad(true);
                Tensor xg = x.to(CUDA).requiresGrad(true), wg = w.to(CUDA).requiresGrad(true), bg = bias.to(CUDA).requiresGrad(true);
                Tensor yc = F.conv2d(xc, wc, bc, 2, 1), yg = F.conv2d(xg, wg, bg, 2, 1);
                String path = own ? "im2col+GEMM" : "cuDNN (" + be.cudnnStatus() + ")";
                assertClose(path + " forward", yg, yc, 1e-5);
                Tensor probe = rand(r, 1, yc.shape());
                yc.backward(probe);
                yg.backward(probe.to(CUDA));
                assertClose(path + " grad x", xg.grad(), xc.grad(), 1e-5);
                assertClose(path + " grad w", wg.grad(), wc.grad(), 1e-5);
                assertClose(path + " grad b", bg.grad(), bc.grad(), 1e-5);
            }
        } finally {
            be.forceOwnConvolution(false);
            be.setTf32(was);
        }
    }

    @Test
    void randomStreamsMatchTheCpuBitForBit() {
        requireCuda();
        for (Backend.RandomKind k : Backend.RandomKind.values()) {
            for (DType dt : new DType[]{DType.F32, DType.F64}) {
                Tensor c = Tensor.zeros(dt, Device.CPU, 1000), g = Tensor.zeros(dt, CUDA, 1000);
                double a = k == Backend.RandomKind.BERNOULLI ? 0.7 : -1, b = 2;
                c.backend().random(c, k, 1234, 99, a, b);
                g.backend().random(g, k, 1234, 99, a, b);
                double err = relL2(g, c);
                assertTrue(err < (k == Backend.RandomKind.NORMAL ? 1e-12 : 1e-15) || (dt == DType.F32 && err < 1e-7), k + " " + dt + " differs: " + err);
            }
        }
    }

    @Test
    void eventTimerMeasuresQueuedWork() {
        CudaBackend be = requireCuda();
        Tensor x = Tensor.zeros(dev.groundwork.engine.tensor.DType.F32, CUDA, 1 << 24);
        try (var timer = new dev.groundwork.kernels.cuda.GpuTimer(be.context())) {
            timer.start();
            for (int i = 0; i < 10; i++) be.unary(dev.groundwork.engine.backend.UnaryOp.EXP, x, x, 0, 0);
            float ms = timer.stopMillis();
            assertTrue(ms > 0 && ms < 10_000, "elapsed " + ms + " ms");
        }
    }

    @Test
    void outOfRangeIndexIsAnError() {
        requireCuda();
        Tensor w = rand(r, 1, 10, 4).to(CUDA);
        Tensor ids = Tensor.ofLongs(new long[]{1, 10}, 2).to(CUDA);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> F.embedding(ids, w));
        assertTrue(e.getMessage().contains("index_select"), e.getMessage());
    }

    @Test
    void dtypeMismatchIsRefusedWithTheDtypes() {
        requireCuda();
        Tensor a = Tensor.of(new double[]{1, 2, 3, 4}, 2, 2).to(CUDA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(a));
        assertTrue(e.getMessage().contains("F64"), e.getMessage());
    }
}

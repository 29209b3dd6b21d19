package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.Attention;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Bf16;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.memory.DeviceBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The tensor-core attention forward and backward on the GPU against the engine's attention on the same
 * bf16-rounded inputs in float64 (the tolerance as in {@link AttentionBf16EmulationTest}, which runs
 * the same kernel source on the CPU), and against the fp32 fused kernel.
 */
class AttentionBf16KernelsTest {
    private static final double MASK_VALUE = -10000, GRAD_TOL = 5e-3;

    @Test
    void refusesBadShapesBeforeAnyDeviceWork() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AttentionBf16Kernels.Dims(2, 3, 4, 5, 80));
        assertTrue(e.getMessage().contains("head dim 80"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AttentionBf16Kernels.Dims(2, 3, 4, 0, 64));
        assertTrue(e.getMessage().contains("Tk = 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AttentionBf16Kernels.forward(null, new AttentionBf16Kernels.Dims(1, 1, 4, 4, 64), null, null, null, null, MASK_VALUE, null, null));
        assertTrue(e.getMessage().contains("q is required"), e.getMessage());
    }

    @ParameterizedTest(name = "d={0} Tq={1} Tk={2} mask={3} p={4}")
    @CsvSource({"64, 70, 70, false, 0", "64, 37, 53, true, 0", "64, 130, 150, true, 0", "64, 512, 512, false, 0",
                "96, 100, 33, true, 0", "96, 5, 130, false, 0", "96, 32, 32, true, 0",
                "64, 45, 71, true, 0.3", "64, 128, 128, true, 0.1", "96, 70, 100, true, 0.1"})
    void matchesTheEngineOnBf16RoundedInputs(int d, int tq, int tk, boolean masked, double p) {
        CudaBackend be = requireCuda();
        int b = 2, h = 3;
        SplittableRandom r = new SplittableRandom(1000L * d + 10L * tq + tk + (masked ? 7 : 0));
        Tensor q = rand(r, 1.0, b, h, tq, d), k = rand(r, 1.0, b, h, tk, d), v = rand(r, 1.0, b, h, tk, d);
        Tensor mask = masked ? AttentionReference.keepFirst(b, tk, new int[]{tk, Math.max(1, tk * 3 / 5)}) : null;
        Tensor g = rand(r, 1.0, b, h, tq, d);
        Generator gen = new Generator(77);
        gen.reserve(1234);
        AttentionKernels.Drop drop = p > 0 ? new AttentionKernels.Drop(1 - p, gen.seed(), gen.offset()) : AttentionKernels.Drop.NONE;
        Tensor[] got = gpu(be, q, k, v, mask, g, drop);

        Tensor qr = Bf16.round(q), kr = Bf16.round(k), vr = Bf16.round(v);
        Tensor qd = qr.to(DType.F64).detach().requiresGrad(true), kd = kr.to(DType.F64).detach().requiresGrad(true),
                vd = vr.to(DType.F64).detach().requiresGrad(true);
        Tensor want = p > 0 ? Attention.attention(qd, kd, vd, mask, MASK_VALUE, p, gen) : Attention.attention(qd, kd, vd, mask, MASK_VALUE);
        want.backward(Bf16.round(g).to(DType.F64));
        want = want.detach();
        double roundingOnly = relL2(Bf16.round(want.to(DType.F32)), want);
        double e = relL2(got[0], want);
        assertTrue(e <= 3 * roundingOnly + 1e-3, "out: relative L2 error " + e + " (rounding the exact result alone: " + roundingOnly + ")");

        // The fp32 kernel on the same rounded inputs gives the same log-sum-exp to fp32 rounding.
        Tensor out32 = be.empty(DType.F32, b, h, tq, d), lse32 = be.empty(DType.F32, b, h, tq);
        AttentionKernels.forward(be, qr.to(CUDA), kr.to(CUDA), vr.to(CUDA), mask == null ? null : mask.to(CUDA), MASK_VALUE, drop, out32, lse32);
        assertClose("lse vs fp32 kernel", got[1], lse32, 1e-5);
        assertClose("out vs fp32 kernel", got[0], out32, 3 * roundingOnly + 1e-3);

        // Backward: P and dS in bf16 for their products; the emulation measured ~1.7e-3 on these cases.
        assertClose("dq", got[2], qd.grad(), GRAD_TOL);
        assertClose("dk", got[3], kd.grad(), GRAD_TOL);
        assertClose("dv", got[4], vd.grad(), GRAD_TOL);
    }

    /**
     * The same kernels behind the engine's op: F.attention on CUDA with the backend's bf16 switch on,
     * forward and autograd backward, with dropout, against the composite on bf16-rounded q, k, v.
     */
    @Test
    void behindFAttentionWithTheBf16Switch() {
        CudaBackend be = requireCuda();
        boolean was = be.attentionBf16();
        be.setAttentionBf16(true);
        try {
            int b = 2, h = 3, tq = 77, tk = 90, d = 64;
            double p = 0.1;
            SplittableRandom r = new SplittableRandom(5);
            Tensor q = rand(r, 1.0, b, h, tq, d), k = rand(r, 1.0, b, h, tk, d), v = rand(r, 1.0, b, h, tk, d);
            Tensor g = Bf16.round(rand(r, 1.0, b, h, tq, d));
            Tensor mask = AttentionReference.keepFirst(b, tk, new int[]{tk, 50});
            Generator gen = new Generator(9), genCpu = new Generator(9);

            Tensor qc = q.to(CUDA).detach().requiresGrad(true), kc = k.to(CUDA).detach().requiresGrad(true), vc = v.to(CUDA).detach().requiresGrad(true);
            Tensor out = dev.groundwork.engine.ops.F.attention(qc, kc, vc, mask.to(CUDA), MASK_VALUE, p, true, gen);
            out.backward(g.to(CUDA));

            Tensor qd = Bf16.round(q).to(DType.F64).detach().requiresGrad(true), kd = Bf16.round(k).to(DType.F64).detach().requiresGrad(true),
                    vd = Bf16.round(v).to(DType.F64).detach().requiresGrad(true);
            Tensor want = Attention.attention(qd, kd, vd, mask, MASK_VALUE, p, genCpu);
            want.backward(g.to(DType.F64));
            double roundingOnly = relL2(Bf16.round(want.detach().to(DType.F32)), want.detach());
            assertClose("out", out.detach(), want.detach(), 3 * roundingOnly + 1e-3);
            assertClose("dq", qc.grad(), qd.grad(), GRAD_TOL);
            assertClose("dk", kc.grad(), kd.grad(), GRAD_TOL);
            assertClose("dv", vc.grad(), vd.grad(), GRAD_TOL);
        } finally {
            be.setAttentionBf16(was);
        }
    }

    /** out (float32, from bf16), lse, dq, dk, dv of the bf16 kernels; q, k, v, g rounded to bf16 on the device. */
    private static Tensor[] gpu(CudaBackend be, Tensor q, Tensor k, Tensor v, Tensor mask, Tensor g, AttentionKernels.Drop drop) {
        var dims = new AttentionBf16Kernels.Dims(q.size(0), q.size(1), q.size(2), k.size(2), q.size(3));
        Tensor qc = q.to(CUDA), kc = k.to(CUDA), vc = v.to(CUDA);
        Tensor lse = be.empty(DType.F32, dims.b(), dims.h(), dims.tq()), out = be.empty(DType.F32, q.shape());
        try (DeviceBuffer qb = Bf16Kernels.toBf16(be, qc); DeviceBuffer kb = Bf16Kernels.toBf16(be, kc);
             DeviceBuffer vb = Bf16Kernels.toBf16(be, vc); Tensor gc = g.to(CUDA); DeviceBuffer gb = Bf16Kernels.toBf16(be, gc);
             DeviceBuffer ob = be.scratch(2L * q.numel())) {
            Tensor mc = mask == null ? null : mask.to(CUDA);
            AttentionBf16Kernels.forward(be, dims, qb, kb, vb, mc, MASK_VALUE, drop, ob, lse);
            Bf16Kernels.fromBf16(be, ob, out);
            Tensor dq = be.empty(DType.F32, q.shape()), dk = be.empty(DType.F32, k.shape()), dv = be.empty(DType.F32, v.shape());
            AttentionBf16BwdKernels.backward(be, dims, qb, kb, vb, mc, MASK_VALUE, drop, ob, lse, gb, dq, dk, dv);
            return new Tensor[]{out, lse, dq, dk, dv};
        }
    }
}

package dev.groundwork.kernels.ops;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.ops.Attention;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused attention kernels against the engine's composite attention on the CPU (computed in
 * float64 from the same float32 inputs): output, log-sum-exp, and the three input gradients.
 */
class AttentionKernelsTest {
    private static final double MASK_VALUE = -10000;
    private static final double TOL = 1e-4;

    @Test
    void supportsHeadDims64And96Only() {
        assertTrue(AttentionKernels.supports(64));
        assertTrue(AttentionKernels.supports(96));
        assertFalse(AttentionKernels.supports(80));
        assertFalse(AttentionKernels.supports(128));
        // Refused before any device work, naming the dim (so this part needs no GPU either).
        Tensor q = Tensor.zeros(1, 2, 3, 80), k = Tensor.zeros(1, 2, 4, 80);
        var e = assertThrows(IllegalArgumentException.class,
                () -> AttentionKernels.forward(null, q, k, k, null, MASK_VALUE, Tensor.zeros(1, 2, 3, 80), Tensor.zeros(1, 2, 3)));
        assertTrue(e.getMessage().contains("head dim 80"), e.getMessage());
    }

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        int[][] lengths = {{70, 70}, {37, 53}, {100, 33}, {5, 130}};  // self, cross; none a multiple of a tile
        for (int d : new int[]{64, 96})
            for (int[] t : lengths)
                for (boolean masked : new boolean[]{false, true})
                    a.add(Arguments.of(d, t[0], t[1], masked));
        return a.stream();
    }

    @ParameterizedTest(name = "d={0} Tq={1} Tk={2} mask={3}")
    @MethodSource("cases")
    void matchesTheCpuComposite(int d, int tq, int tk, boolean masked) {
        CudaBackend be = requireCuda();
        SplittableRandom r = new SplittableRandom(1000L * d + 10L * tq + tk + (masked ? 7 : 0));
        int b = 2, h = 3;
        Tensor q = rand(r, 1.0, b, h, tq, d), k = rand(r, 1.0, b, h, tk, d), v = rand(r, 1.0, b, h, tk, d);
        Tensor g = rand(r, 1.0, b, h, tq, d);
        Tensor mask = masked ? AttentionReference.keepFirst(b, tk, new int[]{tk, Math.max(1, tk * 3 / 5)}) : null;
        Result got = gpu(be, q, k, v, mask, g);
        Result want = cpu(q, k, v, mask, g, DType.F64);
        want.assertMatches(got, TOL);
    }

    /**
     * Dropout on the probabilities: the _drop kernels regenerate the engine's mask from (seed, offset)
     * in the forward and both backward kernels, so they match the CPU composite that stores it.
     * Odd lengths (partial tiles in both directions), a padded batch row, an offset that is not 0.
     */
    @ParameterizedTest(name = "d={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {64, 96})
    void dropoutMatchesTheCpuComposite(int d) {
        CudaBackend be = requireCuda();
        SplittableRandom r = new SplittableRandom(31 + d);
        int b = 2, h = 3, tq = 45, tk = 71;
        double p = 0.3;
        Tensor q = rand(r, 1.0, b, h, tq, d), k = rand(r, 1.0, b, h, tk, d), v = rand(r, 1.0, b, h, tk, d);
        Tensor g = rand(r, 1.0, b, h, tq, d);
        Tensor mask = AttentionReference.keepFirst(b, tk, new int[]{tk, 40});
        dev.groundwork.engine.random.Generator gen = new dev.groundwork.engine.random.Generator(77);
        gen.reserve(1234);   // a non-zero offset
        long seed = gen.seed(), offset = gen.offset();

        Tensor qd = q.to(DType.F64).detach().requiresGrad(true), kd = k.to(DType.F64).detach().requiresGrad(true),
                vd = v.to(DType.F64).detach().requiresGrad(true);
        Tensor wantOut = Attention.attention(qd, kd, vd, mask, MASK_VALUE, p, gen);
        wantOut.backward(g.to(DType.F64));
        Result want = new Result(wantOut.detach(), AttentionReference.logSumExp(qd, kd, mask, MASK_VALUE), qd.grad(), kd.grad(), vd.grad());

        AttentionKernels.Drop drop = new AttentionKernels.Drop(1 - p, seed, offset);
        Tensor qc = q.to(CUDA), kc = k.to(CUDA), vc = v.to(CUDA), gc = g.to(CUDA), mc = mask.to(CUDA);
        Tensor out = be.empty(DType.F32, b, h, tq, d), lse = be.empty(DType.F32, b, h, tq);
        AttentionKernels.forward(be, qc, kc, vc, mc, MASK_VALUE, drop, out, lse);
        Tensor dq = be.empty(DType.F32, q.shape()), dk = be.empty(DType.F32, k.shape()), dv = be.empty(DType.F32, v.shape());
        AttentionKernels.backward(be, qc, kc, vc, mc, MASK_VALUE, drop, out, lse, gc, dq, dk, dv);
        want.assertMatches(new Result(out, lse, dq, dk, dv), TOL);

        // And it is dropout: the output differs from the undropped one.
        Tensor plain = be.empty(DType.F32, b, h, tq, d);
        AttentionKernels.forward(be, qc, kc, vc, mc, MASK_VALUE, plain, be.empty(DType.F32, b, h, tq));
        assertFalse(java.util.Arrays.equals(plain.toFloatArray(), out.toFloatArray()));
    }

    /** A batch row whose keys are all padding still gets finite output and gradients (maskValue is finite). */
    @Test
    void fullyMaskedBatchRowStaysFinite() {
        CudaBackend be = requireCuda();
        SplittableRandom r = new SplittableRandom(5);
        int b = 2, h = 3, tq = 37, tk = 53, d = 64;
        Tensor q = rand(r, 1.0, b, h, tq, d), k = rand(r, 1.0, b, h, tk, d), v = rand(r, 1.0, b, h, tk, d);
        Tensor g = rand(r, 1.0, b, h, tq, d);
        Tensor mask = AttentionReference.keepFirst(b, tk, new int[]{20, 0});
        Result got = gpu(be, q, k, v, mask, g);
        for (Tensor t : new Tensor[]{got.out, got.lse, got.dq, got.dk, got.dv})
            for (float x : t.toFloatArray()) assertTrue(Float.isFinite(x), "non-finite value " + x);
        // All scores sit near -10000, where float32 resolves steps of 2^-10: compare with the float32
        // CPU composite, which rounds the same way, at a looser tolerance.
        cpu(q, k, v, mask, g, DType.F32).assertMatches(got, 1e-3);
    }

    /** Inputs in the models' [B,T,H,d] layout, viewed as [B,H,T,d] (non-contiguous), and a strided output. */
    @Test
    void nonContiguousInputsAndOutputs() {
        CudaBackend be = requireCuda();
        SplittableRandom r = new SplittableRandom(9);
        int b = 2, h = 3, tq = 45, tk = 29, d = 96;
        Tensor q = rand(r, 1.0, b, tq, h, d), k = rand(r, 1.0, b, tk, h, d), v = rand(r, 1.0, b, tk, h, d);
        Tensor g = rand(r, 1.0, b, tq, h, d);
        Tensor mask = AttentionReference.keepFirst(b, tk, new int[]{tk - 3, tk});
        Tensor qt = q.transpose(1, 2), kt = k.transpose(1, 2), vt = v.transpose(1, 2), gt = g.transpose(1, 2);
        Result want = cpu(qt.contiguous(), kt.contiguous(), vt.contiguous(), mask, gt.contiguous(), DType.F64);

        Tensor qc = q.to(CUDA).transpose(1, 2), kc = k.to(CUDA).transpose(1, 2), vc = v.to(CUDA).transpose(1, 2);
        Tensor gc = g.to(CUDA).transpose(1, 2);
        assertFalse(qc.isContiguous());
        Tensor outBthd = be.empty(DType.F32, b, tq, h, d), out = outBthd.transpose(1, 2);
        Tensor lse = be.empty(DType.F32, b, h, tq);
        AttentionKernels.forward(be, qc, kc, vc, mask.to(CUDA), MASK_VALUE, out, lse);
        Tensor dqBthd = be.empty(DType.F32, b, tq, h, d), dq = dqBthd.transpose(1, 2);
        Tensor dk = be.empty(DType.F32, b, h, tk, d), dv = be.empty(DType.F32, b, h, tk, d);
        AttentionKernels.backward(be, qc, kc, vc, mask.to(CUDA), MASK_VALUE, out, lse, gc, dq, dk, dv);
        want.assertMatches(new Result(out.contiguous(), lse, dq.contiguous(), dk, dv), TOL);
    }

    /** More (batch, head) slices than grid y holds: the kernels fold grid y and z together. */
    @Test
    void moreHeadsThanOneGridDimension() {
        CudaBackend be = requireCuda();
        SplittableRandom r = new SplittableRandom(13);
        int b = 13200, h = 5, tq = 1, tk = 2, d = 64;  // B*H = 66000 > 65535
        Tensor q = rand(r, 1.0, b, h, tq, d), k = rand(r, 1.0, b, h, tk, d), v = rand(r, 1.0, b, h, tk, d);
        Tensor g = rand(r, 1.0, b, h, tq, d);
        float[] m = new float[b * tk];
        for (int i = 0; i < b; i++) {
            m[i * tk] = 1;
            m[i * tk + 1] = i % 2;
        }
        Tensor mask = Tensor.of(m, b, tk);
        cpu(q, k, v, mask, g, DType.F64).assertMatches(gpu(be, q, k, v, mask, g), TOL);
    }

    /** The backward has no atomics: two runs give bitwise identical gradients. */
    @Test
    void backwardIsDeterministic() {
        CudaBackend be = requireCuda();
        SplittableRandom r = new SplittableRandom(17);
        int b = 2, h = 3, tq = 150, tk = 97, d = 64;
        Tensor q = rand(r, 1.0, b, h, tq, d), k = rand(r, 1.0, b, h, tk, d), v = rand(r, 1.0, b, h, tk, d);
        Tensor g = rand(r, 1.0, b, h, tq, d);
        Result one = gpu(be, q, k, v, null, g), two = gpu(be, q, k, v, null, g);
        assertArrayEquals(one.dq.toFloatArray(), two.dq.toFloatArray());
        assertArrayEquals(one.dk.toFloatArray(), two.dk.toFloatArray());
        assertArrayEquals(one.dv.toFloatArray(), two.dv.toFloatArray());
    }

    // ------------------------------------------------------------------------------------ helpers

    private record Result(Tensor out, Tensor lse, Tensor dq, Tensor dk, Tensor dv) {
        void assertMatches(Result got, double tol) {
            assertClose("out", got.out, out, tol);
            assertClose("lse", got.lse, lse, tol);
            assertClose("dq", got.dq, dq, tol);
            assertClose("dk", got.dk, dk, tol);
            assertClose("dv", got.dv, dv, tol);
        }
    }

    private static Result gpu(CudaBackend be, Tensor q, Tensor k, Tensor v, Tensor mask, Tensor g) {
        int[] qs = q.shape(), ks = k.shape();
        Tensor qc = q.to(CUDA), kc = k.to(CUDA), vc = v.to(CUDA), gc = g.to(CUDA);
        Tensor mc = mask == null ? null : mask.to(CUDA);
        Tensor out = be.empty(DType.F32, qs), lse = be.empty(DType.F32, qs[0], qs[1], qs[2]);
        AttentionKernels.forward(be, qc, kc, vc, mc, MASK_VALUE, out, lse);
        Tensor dq = be.empty(DType.F32, qs), dk = be.empty(DType.F32, ks), dv = be.empty(DType.F32, ks);
        AttentionKernels.backward(be, qc, kc, vc, mc, MASK_VALUE, out, lse, gc, dq, dk, dv);
        return new Result(out, lse, dq, dk, dv);
    }

    /** The engine's composite attention and its autograd backward on the CPU, in dtype. */
    private static Result cpu(Tensor q, Tensor k, Tensor v, Tensor mask, Tensor g, DType dtype) {
        Tensor qd = q.to(dtype).detach().requiresGrad(true), kd = k.to(dtype).detach().requiresGrad(true), vd = v.to(dtype).detach().requiresGrad(true);
        Tensor out = Attention.attention(qd, kd, vd, mask, MASK_VALUE);
        out.backward(g.to(dtype));
        return new Result(out.detach(), AttentionReference.logSumExp(qd, kd, mask, MASK_VALUE), qd.grad(), kd.grad(), vd.grad());
    }
}

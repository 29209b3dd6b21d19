package dev.groundwork.kernels.fused;

import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.backend.CudaBackend;
import dev.groundwork.kernels.memory.DeviceBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Each fused glue kernel against the op-by-op composition on the CPU backend. */
class GlueKernelsTest {
    private final SplittableRandom r = new SplittableRandom(11);

    @Test
    void biasGeluForwardAndBackward() {
        CudaBackend be = requireCuda();
        Tensor x = rand(r, 3, 37, 129), b = rand(r, 1, 129), g = rand(r, 1, 37, 129);
        Tensor xc = x.detach().requiresGrad(true);
        Tensor want = xc.add(b).gelu();
        want.backward(g);
        Tensor y = be.empty(DType.F32, 37, 129), dx = be.empty(DType.F32, 37, 129);
        GlueKernels.biasGelu(be, x.to(CUDA), b.to(CUDA), y);
        GlueKernels.biasGeluBackward(be, g.to(CUDA), x.to(CUDA), b.to(CUDA), dx);
        assertClose("bias_gelu", y, want, 1e-6);
        assertClose("bias_gelu backward", dx, xc.grad(), 1e-6);
    }

    @Test
    void addDropoutUsesTheSameMaskAsTheRandomBackend() {
        CudaBackend be = requireCuda();
        int n = 10007;
        double keep = 0.9;
        Tensor x = rand(r, 1, n), res = rand(r, 1, n), g = rand(r, 1, n);
        Tensor mask = Tensor.zeros(n);
        mask.backend().random(mask, Backend.RandomKind.BERNOULLI, 42, 1000, keep, 0);
        Tensor want = res.add(x.mul(mask).div(keep));
        Tensor y = be.empty(DType.F32, n), dx = be.empty(DType.F32, n);
        GlueKernels.addDropout(be, x.to(CUDA), res.to(CUDA), y, keep, 42, 1000);
        GlueKernels.dropoutBackward(be, g.to(CUDA), dx, keep, 42, 1000);
        assertClose("add_dropout", y, want, 1e-6);
        assertClose("dropout backward", dx, g.mul(mask).div(keep), 1e-6);
    }

    @Test
    void crossEntropyLossAndGradientInOnePass() {
        CudaBackend be = requireCuda();
        int n = 9, c = 1001;
        Tensor logits = rand(r, 4, n, c);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(c);
        t[3] = -100;
        Tensor target = Tensor.ofLongs(t, n);
        Tensor lc = logits.detach().requiresGrad(true);
        Tensor want = F.crossEntropy(lc, target, -100, Losses.Reduction.MEAN);
        want.backward();
        Tensor loss = be.empty(DType.F32, n), dx = be.empty(DType.F32, n, c);
        int kept = GlueKernels.crossEntropy(be, logits.to(CUDA), target.to(CUDA), -100, loss, dx);
        assertEquals(n - 1, kept);
        assertEquals(want.item(), loss.sum().item() / kept, 1e-5 * Math.abs(want.item()));
        assertClose("cross_entropy grad", dx, lc.grad(), 1e-5);
    }

    @Test
    void adamAndAdamWStepsMatchTheFormula() {
        CudaBackend be = requireCuda();
        for (boolean decoupled : new boolean[]{false, true}) {
            Tensor p = rand(r, 1, 5000), g = rand(r, 1, 5000), m = rand(r, 0.1, 5000), v = rand(r, 0.1, 5000).abs();
            double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
            long step = 3;
            // reference in float64 on the CPU
            double[] P = p.toDoubleArray(), G = g.toDoubleArray(), M = m.toDoubleArray(), V = v.toDoubleArray();
            double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
            for (int i = 0; i < P.length; i++) {
                double gi = G[i], pi = P[i];
                if (decoupled) pi *= 1 - lr * wd; else gi += wd * pi;
                M[i] = b1 * M[i] + (1 - b1) * gi;
                V[i] = b2 * V[i] + (1 - b2) * gi * gi;
                P[i] = pi - lr / bc1 * M[i] / (Math.sqrt(V[i]) / Math.sqrt(bc2) + eps);
            }
            Tensor pg = p.to(CUDA), mg = m.to(CUDA), vg = v.to(CUDA);
            GlueKernels.adam(be, pg, g.to(CUDA), mg, vg, lr, b1, b2, eps, wd, decoupled, step);
            assertClose("adam p (decoupled=" + decoupled + ")", pg, Tensor.of(P, 5000), 1e-6);
            assertClose("adam m", mg, Tensor.of(M, 5000), 1e-6);
            assertClose("adam v", vg, Tensor.of(V, 5000), 1e-6);
        }
    }

    @Test
    void sgdWithMomentumAndNesterov() {
        CudaBackend be = requireCuda();
        Tensor p = rand(r, 1, 999), g = rand(r, 1, 999), buf = rand(r, 1, 999);
        double lr = 0.1, mom = 0.9, wd = 1e-4;
        Tensor d = g.add(p.mul(wd));
        Tensor nb = buf.mul(mom).add(d);
        Tensor want = p.sub(d.add(nb.mul(mom)).mul(lr));
        Tensor pg = p.to(CUDA), bg = buf.to(CUDA);
        GlueKernels.sgd(be, pg, g.to(CUDA), bg, lr, mom, 0, wd, true, false);
        assertClose("sgd p", pg, want, 1e-6);
        assertClose("sgd buf", bg, nb, 1e-6);
    }

    @Test
    void squaredNormIsDeterministicAndRight() {
        CudaBackend be = requireCuda();
        Tensor a = rand(r, 1, 1 << 20), b = rand(r, 1, 333);
        double want = a.square().sum().item() + b.square().sum().item();
        double got = GlueKernels.squaredNorm(be, a.to(CUDA), b.to(CUDA));
        assertEquals(want, got, 1e-5 * want);
        assertEquals(got, GlueKernels.squaredNorm(be, a.to(CUDA), b.to(CUDA)), 0.0, "same order, same bits");
    }

    @Test
    void bf16GemmAccumulatesInFp32() {
        CudaBackend be = requireCuda();
        int m = 64, n = 48, k = 320;
        Tensor a = rand(r, 1, m, k), b = rand(r, 1, k, n);
        Tensor out = be.empty(DType.F32, m, n);
        try (DeviceBuffer ab = GlueKernels.toBf16(be, a.to(CUDA)); DeviceBuffer bb = GlueKernels.toBf16(be, b.to(CUDA))) {
            GlueKernels.gemmBf16(be, ab, bb, out, m, n, k);
            // bf16 keeps 8 mantissa bits: ~3e-3 relative per input, averaging down over K.
            assertClose("bf16 gemm", out, a.matmul(b), 1e-2);
            Tensor back = be.empty(DType.F32, m, k);
            GlueKernels.fromBf16(be, ab, back);
            assertClose("bf16 round trip", back, a, 4e-3);
            try (DeviceBuffer o16 = be.scratch((long) m * n * 2)) {
                GlueKernels.gemmBf16Out(be, ab, bb, o16, m, n, k);
                GlueKernels.fromBf16(be, o16, back.reshape(m * k).narrow(0, 0, m * n).reshape(m, n));
                assertClose("bf16-out gemm", back.reshape(m * k).narrow(0, 0, m * n).reshape(m, n), a.matmul(b), 1.2e-2);
            }
        }
        assertEquals(Device.cuda(0), out.device());
    }
}

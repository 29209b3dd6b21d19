package dev.groundwork.kernels.ops;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.ops.Attention;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Bf16;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * attention_bf16.cu without a GPU: the kernel source compiled by the host C++ compiler against the
 * CPU emulation in src/test/emu (mma.sync, ldmatrix, cp.async and shuffles implemented from their
 * PTX ISA definitions), run on random bf16 inputs and compared with the engine's attention on the
 * same bf16-rounded values in float64. This checks the kernel's tiling, fragment bookkeeping, online
 * softmax, masking and partial tiles; speed and hardware races are for the GPU run
 * ({@link AttentionBf16KernelsTest}).
 */
class AttentionBf16EmulationTest {
    private static final double MASK_VALUE = -10000, GRAD_TOL = 5e-3;
    private static Path binary;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        binary = Emulator.build("attention_bf16_emu", dir);
    }

    @ParameterizedTest(name = "d={0} Tq={1} Tk={2} mask={3} p={4}")
    @CsvSource({
            "64, 70, 70, false, 0",     // self-attention, partial second tiles
            "64, 37, 53, true, 0",      // cross, one partial tile each way
            "64, 130, 150, true, 0",    // three query tiles, three key tiles
            "96, 100, 33, true, 0",
            "96, 5, 130, false, 0",
            "64, 45, 71, true, 0.3",    // dropout, the Philox offset not 0
            "96, 70, 100, true, 0.1",
    })
    void matchesTheEngineOnBf16RoundedInputs(int d, int tq, int tk, boolean masked, double p, @TempDir Path dir) throws Exception {
        int b = 2, h = 2;
        SplittableRandom r = new SplittableRandom(1000L * d + 10L * tq + tk + (masked ? 7 : 0));
        Tensor q = Bf16.round(rand(r, 1.0, b, h, tq, d)), k = Bf16.round(rand(r, 1.0, b, h, tk, d)), v = Bf16.round(rand(r, 1.0, b, h, tk, d));
        Tensor g = Bf16.round(rand(r, 1.0, b, h, tq, d));
        Tensor mask = masked ? AttentionReference.keepFirst(b, tk, new int[]{tk, Math.max(1, tk * 3 / 5)}) : null;
        Emulator.writeBf16(dir.resolve("q.bin"), q);
        Emulator.writeBf16(dir.resolve("k.bin"), k);
        Emulator.writeBf16(dir.resolve("v.bin"), v);
        Emulator.writeBf16(dir.resolve("dout.bin"), g);
        if (mask != null) Emulator.writeF32(dir.resolve("mask.bin"), mask);
        Generator gen = new Generator(77);
        gen.reserve(1234);
        long seed = gen.seed(), offset = gen.offset();
        Emulator.run(binary, d, b, h, tq, tk, MASK_VALUE, 1 - p, Long.toUnsignedString(seed), Long.toUnsignedString(offset), dir);

        Tensor out = Emulator.readBf16(dir.resolve("out.bin"), b, h, tq, d), lse = Emulator.readF32(dir.resolve("lse.bin"), b, h, tq);
        Tensor qd = q.to(DType.F64).detach().requiresGrad(true), kd = k.to(DType.F64).detach().requiresGrad(true),
                vd = v.to(DType.F64).detach().requiresGrad(true);
        Tensor want = p > 0 ? Attention.attention(qd, kd, vd, mask, MASK_VALUE, p, gen) : Attention.attention(qd, kd, vd, mask, MASK_VALUE);
        want.backward(g.to(DType.F64));
        want = want.detach();
        // bf16 output: rounding the exact result alone costs ~2^-9 relative per element; P in bf16 for
        // P V adds less. A wrong fragment, tile or mask index costs O(1).
        double roundingOnly = relL2(Bf16.round(want.to(DType.F32)), want);
        double e = relL2(out, want);
        System.out.printf("d=%d Tq=%d Tk=%d mask=%s p=%s: out %.2e (rounding alone %.2e)", d, tq, tk, masked, p, e, roundingOnly);
        assertTrue(e <= 3 * roundingOnly + 1e-3, "out: relative L2 error " + e + " (rounding the exact result alone: " + roundingOnly + ")");
        assertClose("lse", lse, AttentionReference.logSumExp(q, k, mask, MASK_VALUE), 2e-6);

        // Backward from the kernel's own bf16 out and lse. P and dS are rounded to bf16 for their
        // products, and Delta comes from the rounded out: errors of a few 2^-9, against O(1) for a bug.
        String[] names = {"dq", "dk", "dv"};
        Tensor[] grads = {qd.grad(), kd.grad(), vd.grad()};
        int[][] shapes = {{b, h, tq, d}, {b, h, tk, d}, {b, h, tk, d}};
        for (int i = 0; i < 3; i++) {
            Tensor got = Emulator.readF32(dir.resolve(names[i] + ".bin"), shapes[i]);
            double ge = relL2(got, grads[i]);
            System.out.printf(", %s %.2e", names[i], ge);
            assertTrue(ge <= GRAD_TOL, names[i] + ": relative L2 error " + ge + " exceeds " + GRAD_TOL);
        }
        System.out.println();
    }

    @Test
    void aWrongAnswerIsCaught(@TempDir Path dir) throws Exception {
        // The comparison above can fail: the same run against a reference with keys reversed.
        int b = 1, h = 1, tq = 20, tk = 40, d = 64;
        SplittableRandom r = new SplittableRandom(3);
        Tensor q = Bf16.round(rand(r, 1.0, b, h, tq, d)), k = Bf16.round(rand(r, 1.0, b, h, tk, d)), v = Bf16.round(rand(r, 1.0, b, h, tk, d));
        Emulator.writeBf16(dir.resolve("q.bin"), q);
        Emulator.writeBf16(dir.resolve("k.bin"), k);
        Emulator.writeBf16(dir.resolve("v.bin"), v);
        Emulator.run(binary, d, b, h, tq, tk, MASK_VALUE, 1.0, 0, 0, dir);
        Tensor out = Emulator.readBf16(dir.resolve("out.bin"), b, h, tq, d);
        Tensor wrong;
        try (var ng = GradMode.noGrad()) {
            wrong = Attention.attention(q.to(DType.F64), k.to(DType.F64), flipKeys(v), null, MASK_VALUE);
        }
        assertTrue(relL2(out, wrong) > 0.05, "a reference with v's keys reversed should not match");
    }

    // ---------------------------------------------------------------------------------- helpers

    private static Tensor flipKeys(Tensor v) {
        int b = v.size(0), h = v.size(1), t = v.size(2), d = v.size(3);
        double[] a = v.toDoubleArray(), o = new double[a.length];
        for (int bh = 0; bh < b * h; bh++)
            for (int i = 0; i < t; i++)
                System.arraycopy(a, (bh * t + i) * d, o, (bh * t + (t - 1 - i)) * d, d);
        return Tensor.of(o, b, h, t, d);
    }
}

package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.Attention;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.*;

/**
 * attention.cu's fp32 kernels without a GPU: forward, backward preprocess, dK/dV and dQ, plain and
 * with dropout, compiled by the host compiler against the CPU emulation (src/test/emu) and run with
 * AttentionKernels' grids, against the engine's composite attention and its autograd in float64.
 * The _drop kernels have not run on a GPU yet, so this is their first check of the Philox mask
 * being regenerated the same way in all three kernels; {@link AttentionKernelsTest} repeats it on
 * the device.
 */
class AttentionEmulationTest {
    private static final double MASK_VALUE = -10000, TOL = 1e-4;
    private static Path binary;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        binary = Emulator.build("attention_emu", dir);
    }

    @ParameterizedTest(name = "d={0} Tq={1} Tk={2} mask={3} p={4}")
    @CsvSource({
            "64, 45, 71, true, 0.3",   // dropout: partial tiles both ways, a padded batch row, offset != 0
            "96, 45, 71, true, 0.3",
            "64, 37, 53, false, 0",
            "96, 100, 33, true, 0",
    })
    void matchesTheCpuComposite(int d, int tq, int tk, boolean masked, double p, @TempDir Path dir) throws Exception {
        int b = 2, h = 2;
        SplittableRandom r = new SplittableRandom(31L * d + tq + tk);
        Tensor q = rand(r, 1.0, b, h, tq, d), k = rand(r, 1.0, b, h, tk, d), v = rand(r, 1.0, b, h, tk, d), g = rand(r, 1.0, b, h, tq, d);
        Tensor mask = masked ? AttentionReference.keepFirst(b, tk, new int[]{tk, 40 * tk / 71}) : null;
        Generator gen = new Generator(77);
        gen.reserve(1234);   // a non-zero offset
        long seed = gen.seed(), offset = gen.offset();

        Tensor qd = q.to(DType.F64).detach().requiresGrad(true), kd = k.to(DType.F64).detach().requiresGrad(true),
                vd = v.to(DType.F64).detach().requiresGrad(true);
        Tensor want = p > 0 ? Attention.attention(qd, kd, vd, mask, MASK_VALUE, p, gen) : Attention.attention(qd, kd, vd, mask, MASK_VALUE);
        want.backward(g.to(DType.F64));

        for (String n : new String[]{"q", "k", "v", "dout"})
            Emulator.writeF32(dir.resolve(n + ".bin"), switch (n) { case "q" -> q; case "k" -> k; case "v" -> v; default -> g; });
        if (mask != null) Emulator.writeF32(dir.resolve("mask.bin"), mask);
        Emulator.run(binary, d, b, h, tq, tk, MASK_VALUE, 1 - p, Long.toUnsignedString(seed), Long.toUnsignedString(offset), dir);

        assertClose("out", Emulator.readF32(dir.resolve("out.bin"), b, h, tq, d), want.detach(), TOL);
        assertClose("lse", Emulator.readF32(dir.resolve("lse.bin"), b, h, tq), AttentionReference.logSumExp(qd, kd, mask, MASK_VALUE), TOL);
        assertClose("dq", Emulator.readF32(dir.resolve("dq.bin"), b, h, tq, d), qd.grad(), TOL);
        assertClose("dk", Emulator.readF32(dir.resolve("dk.bin"), b, h, tk, d), kd.grad(), TOL);
        assertClose("dv", Emulator.readF32(dir.resolve("dv.bin"), b, h, tk, d), vd.grad(), TOL);
    }
}

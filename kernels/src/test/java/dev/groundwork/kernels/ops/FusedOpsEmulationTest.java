package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.ops.Losses;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.assertClose;
import static dev.groundwork.kernels.CudaTestSupport.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kernels behind F.biasDropoutAdd, F.biasGelu and F.crossEntropy without a GPU, compiled against
 * the CPU emulation (src/test/emu) with their host classes' constants and launch shapes, against the
 * engine's composition on the CPU: bias_dropout_add.cu bit for bit (the Philox mask Dropout draws, the
 * same float operations), bias_gelu.cu to erf's rounding, cross_entropy.cu to the rounding of its
 * block sums.
 */
class FusedOpsEmulationTest {
    private static final int BLOCKS = 4;
    private static Path binary;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        binary = Emulator.build("fused_ops_emu", dir);
    }

    @ParameterizedTest(name = "p = {0}")
    @CsvSource({"0.1", "0.5", "0.0"})
    void biasDropoutAddIsTheCompositionBitForBit(double p, @TempDir Path dir) throws Exception {
        int rows = 37, d = 129;
        SplittableRandom r = new SplittableRandom(Double.hashCode(p));
        Tensor x = rand(r, 2, rows, d), b = rand(r, 1, d), res = rand(r, 1, rows, d), g = rand(r, 1, rows, d);
        Generator gen = new Generator(42);
        gen.reserve(1000);   // a stream already in use: the kernel must add the offset
        long seed = gen.seed(), offset = gen.offset();
        Tensor xc = x.detach().requiresGrad(true);
        Tensor want = F.biasDropoutAdd(xc, b, res, p, true, gen);
        want.backward(g);
        for (var e : new Object[][]{{"x.bin", x}, {"b.bin", b}, {"r.bin", res}, {"g.bin", g}}) Emulator.writeF32(dir.resolve((String) e[0]), (Tensor) e[1]);
        Emulator.run(binary, "bias_dropout_add", rows, d, BLOCKS, dir, Long.toUnsignedString(Double.doubleToRawLongBits(1 - p)),
                Integer.toUnsignedString(Float.floatToRawIntBits(BiasDropoutAddKernels.scale(p))), seed, offset);
        assertArrayEquals(want.toFloatArray(), Emulator.readF32(dir.resolve("y.bin"), rows, d).toFloatArray(), "y");
        assertArrayEquals(xc.grad().toFloatArray(), Emulator.readF32(dir.resolve("dx.bin"), rows, d).toFloatArray(), "dx");
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"37, 129", "5, 3072"})
    void biasGeluMatchesTheComposition(int rows, int d, @TempDir Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(rows);
        Tensor x = rand(r, 3, rows, d), b = rand(r, 1, d), g = rand(r, 1, rows, d);
        Tensor xc = x.detach().requiresGrad(true);
        Tensor want = F.biasGelu(xc, b);
        want.backward(g);
        Emulator.writeF32(dir.resolve("x.bin"), x);
        Emulator.writeF32(dir.resolve("b.bin"), b);
        Emulator.writeF32(dir.resolve("g.bin"), g);
        Emulator.run(binary, "bias_gelu", rows, d, BLOCKS, dir);
        assertClose("y", Emulator.readF32(dir.resolve("y.bin"), rows, d), want, 1e-6);
        assertClose("dx", Emulator.readF32(dir.resolve("dx.bin"), rows, d), xc.grad(), 1e-6);
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"9, 1001", "6, 11", "4, 3000"})
    void crossEntropyRowsAndGradient(int n, int c, @TempDir Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(c);
        Tensor logits = rand(r, 4, n, c);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(c);
        t[n / 2] = -100;
        Tensor target = Tensor.ofLongs(t, n), lc = logits.detach().requiresGrad(true);
        Tensor want = F.crossEntropy(lc, target, -100, Losses.Reduction.MEAN);
        want.backward();
        Emulator.writeF32(dir.resolve("x.bin"), logits);
        ByteBuffer tb = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : t) tb.putLong(v);
        Files.write(dir.resolve("t.bin"), tb.array());
        Emulator.run(binary, "cross_entropy", n, c, dir, -100, Integer.toUnsignedString(Float.floatToRawIntBits(1f / (n - 1))));
        Tensor loss = Emulator.readF32(dir.resolve("loss.bin"), n);
        for (int i = 0; i < n; i++) {
            double row = t[i] == -100 ? 0 : F.crossEntropy(logits.narrow(0, i, 1), target.narrow(0, i, 1), -100, Losses.Reduction.SUM).item();
            assertEquals(row, loss.toFloatArray()[i], 1e-6 * Math.max(1, Math.abs(row)), "loss of row " + i);
        }
        assertEquals(want.item(), loss.sum().item() / (n - 1), 1e-6 * Math.abs(want.item()), "mean loss");
        assertClose("dlogits", Emulator.readF32(dir.resolve("dx.bin"), n, c), lc.grad(), 1e-6);
    }
}

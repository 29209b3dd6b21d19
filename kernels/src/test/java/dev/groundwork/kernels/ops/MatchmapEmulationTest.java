package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.vgbert.MatchmapSimilarity;
import dev.groundwork.engine.tensor.DType;
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

import static dev.groundwork.kernels.CudaTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * matchmap.cu's fp32 kernels without a GPU (row compaction, max, mean, both backward kernels),
 * compiled against the CPU emulation (src/test/emu) and compared with the engine's composite
 * similarity and its autograd in float64. The language gradient runs with the transposed image
 * whole and in chunks: the same sums in the same order, so the same bits.
 */
class MatchmapEmulationTest {
    private static final double TOL = 1e-4;
    private static Path binary;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        binary = Emulator.build("matchmap_emu", dir);
    }

    @ParameterizedTest(name = "B={0} T={1} D={2} P={3}")
    @CsvSource({
            "5, 9, 40, 12",     // an empty and an overlong caption, one cell tile, depth not a multiple of 16
            "3, 30, 33, 70",    // two row tiles, two cell tiles
    })
    void matchesTheCompositeWholeAndChunked(int b, int t, int d, int p, @TempDir Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(b * 100L + t + d + p);
        Tensor img = rand(r, 1.0, b, d, p), lang = rand(r, 1.0, b, t, d), g = rand(r, 1.0, b, b);
        long[] nw = new long[b];
        for (int c = 0; c < b; c++) nw[c] = c == 1 ? 0 : c == 2 ? t + 4 : r.nextInt(1, t + 1);
        Tensor nwords = Tensor.ofLongs(nw, b);
        Emulator.writeF32(dir.resolve("image.bin"), img);
        Emulator.writeF32(dir.resolve("language.bin"), lang);
        Emulator.writeF32(dir.resolve("dsim.bin"), g);
        ByteBuffer buf = ByteBuffer.allocate(8 * b).order(ByteOrder.LITTLE_ENDIAN);
        for (long n : nw) buf.putLong(n);
        Files.write(dir.resolve("nwords.bin"), buf.array());

        Tensor ic = img.to(DType.F64).requiresGrad(true), lc = lang.to(DType.F64).requiresGrad(true);
        Tensor want = MatchmapSimilarity.similarity(ic.reshape(b, d, p, 1), lc, nwords);
        want.backward(g.to(DType.F64));

        Emulator.run(binary, b, t, d, p, b, dir);
        assertClose("sim", Emulator.readF32(dir.resolve("sim.bin"), b, b), want.detach(), TOL);
        Tensor dImage = Emulator.readF32(dir.resolve("dimage.bin"), b, d, p), dLang = Emulator.readF32(dir.resolve("dlanguage.bin"), b, t, d);
        assertClose("dImage", dImage, ic.grad(), TOL);
        assertClose("dLanguage", dLang, lc.grad(), TOL);

        Emulator.run(binary, b, t, d, p, 2, dir);   // the transposed image two images at a time
        assertArrayEquals(dLang.toFloatArray(), Emulator.readF32(dir.resolve("dlanguage.bin"), b, t, d).toFloatArray(),
                "chunked language gradient differs from the whole one");
    }
}

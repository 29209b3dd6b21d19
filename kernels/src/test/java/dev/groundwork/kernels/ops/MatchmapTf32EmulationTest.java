package dev.groundwork.kernels.ops;

import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static dev.groundwork.kernels.CudaTestSupport.rand;
import static org.junit.jupiter.api.Assertions.*;

/**
 * matchmap_tf32.cu without a GPU: the TF32 tensor-core max kernel compiled by the host compiler
 * against the CPU emulation (src/test/emu) and compared with S[i,r] = max_p ⟨image_i[:,p], row r⟩
 * computed in float64 from the same tf32-rounded inputs: the maxima to fp32 accumulation, and the
 * winning cell exactly, except where two cells tie to within that accuracy.
 */
class MatchmapTf32EmulationTest {
    private static Path binary;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        binary = Emulator.build("matchmap_tf32_emu", dir);
    }

    @ParameterizedTest(name = "B={0} T={1} D={2} P={3}")
    @CsvSource({
            "5, 9, 40, 70",      // partial depth stage, two cell tiles (the second partial)
            "3, 40, 100, 130",   // two row tiles, three cell tiles, four depth stages
            "2, 32, 64, 64",     // everything a whole number of tiles
    })
    void matchesMaxAndArgmaxOnTf32RoundedInputs(int b, int t, int d, int p, @TempDir Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(b * 1000L + t * 100L + d + p);
        float[] image = tf32(rand(r, 1.0, b, d, p).toFloatArray()), language = tf32(rand(r, 1.0, b * t, d).toFloatArray());
        long[] nwords = new long[b];
        for (int c = 0; c < b; c++) nwords[c] = c == 1 ? 0 : r.nextInt(1, t + 3);   // an empty and an overlong caption
        Emulator.writeF32(dir.resolve("image.bin"), Tensor.of(image, b, d, p));
        Emulator.writeF32(dir.resolve("language.bin"), Tensor.of(language, b * t, d));
        ByteBuffer nw = ByteBuffer.allocate(8 * b).order(ByteOrder.LITTLE_ENDIAN);
        for (long n : nwords) nw.putLong(n);
        Files.write(dir.resolve("nwords.bin"), nw.array());
        Emulator.run(binary, b, t, d, p, dir);

        int[] rowmap = ints(dir.resolve("rowmap.bin"));
        int rows = rowmap.length;
        int expectRows = 0;
        for (long n : nwords) expectRows += (int) Math.max(1, Math.min(n, t));
        assertEquals(expectRows, rows, "kept rows");
        float[] smax = Emulator.readF32(dir.resolve("smax.bin"), b, rows).toFloatArray();
        int[] sarg = ints(dir.resolve("sarg.bin"));
        double num = 0, den = 0;
        int flips = 0;
        for (int i = 0; i < b; i++)
            for (int row = 0; row < rows; row++) {
                double[] s = new double[p];
                int best = 0;
                for (int cell = 0; cell < p; cell++) {
                    double acc = 0;
                    for (int k = 0; k < d; k++) acc += (double) language[rowmap[row] * d + k] * image[(i * d + k) * p + cell];
                    s[cell] = acc;
                    if (acc > s[best]) best = cell;
                }
                double got = smax[i * rows + row];
                num += (got - s[best]) * (got - s[best]);
                den += s[best] * s[best];
                int a = sarg[i * rows + row];
                assertTrue(a >= 0 && a < p, "argmax " + a + " out of range at (" + i + ", " + row + ")");
                if (a != best) {
                    flips++;
                    assertEquals(s[best], s[a], 1e-5 * Math.abs(s[best]) + 1e-6,
                            "(" + i + ", " + row + "): kernel picked cell " + a + ", the maximum is cell " + best);
                }
            }
        double rel = Math.sqrt(num / den);
        System.out.printf("B=%d T=%d D=%d P=%d: max relative L2 %.2e, near-tie argmax flips %d of %d%n", b, t, d, p, rel, flips, b * rows);
        assertTrue(rel < 2e-6, "maxima: relative L2 error " + rel);
    }

    /** Each value rounded to tf32 as cvt.rna.tf32.f32 does: 10 mantissa bits, ties away from zero. */
    static float[] tf32(float[] a) {
        for (int i = 0; i < a.length; i++) {
            int u = Float.floatToRawIntBits(a[i]);
            a[i] = Float.intBitsToFloat((u + 0x1000) & 0xffffe000);
        }
        return a;
    }

    private static int[] ints(Path p) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        int[] a = new int[buf.remaining() / 4];
        for (int i = 0; i < a.length; i++) a[i] = buf.getInt();
        return a;
    }
}

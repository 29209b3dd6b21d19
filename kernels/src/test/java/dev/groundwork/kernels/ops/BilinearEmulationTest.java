package dev.groundwork.kernels.ops;

import dev.groundwork.engine.ops.vgbert.BilinearRelation;
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
 * bilinear_relation.cu without a GPU: scores and both gradients, compiled against the CPU emulation
 * (src/test/emu) with BilinearRelationKernels's grids and shared sizes, against the engine's composite
 * and its autograd in float64; with the sums over relations (objects) in one block or in chunks whose
 * partials are added up after.
 */
class BilinearEmulationTest {
    private static final double TOL = 1e-4;
    private static Path binary;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        binary = Emulator.build("bilinear_emu", dir);
    }

    @ParameterizedTest(name = "B={0} K={1} O={2} S={3}")
    @CsvSource({
            "3, 5, 7, 9",      // odd sizes: the padded leading dimensions, partial thread coverage
            "2, 3, 32, 32",    // the paper's O and S
    })
    void matchesTheCompositeInOneBlockAndInChunks(int b, int k, int o, int s, @TempDir Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(b * 1000L + k * 100L + o + s);
        Tensor z = rand(r, 1.0, b, o, s), m = rand(r, 0.3, k, s, s), g = rand(r, 1.0, b, k, o, o);
        Emulator.writeF32(dir.resolve("z.bin"), z);
        Emulator.writeF32(dir.resolve("m.bin"), m);
        Emulator.writeF32(dir.resolve("g.bin"), g);
        Tensor zd = z.to(DType.F64).detach().requiresGrad(true), md = m.to(DType.F64).detach().requiresGrad(true);
        Tensor want = BilinearRelation.scores(zd, md);
        want.backward(g.to(DType.F64));

        Emulator.run(binary, b, k, o, s, k, b, dir);   // one chunk each
        assertClose("scores", Emulator.readF32(dir.resolve("scores.bin"), b, k, o, o), want.detach(), TOL);
        Tensor dz = Emulator.readF32(dir.resolve("dz.bin"), b, o, s), dm = Emulator.readF32(dir.resolve("dm.bin"), k, s, s);
        assertClose("dz", dz, zd.grad(), TOL);
        assertClose("dm", dm, md.grad(), TOL);

        Emulator.run(binary, b, k, o, s, 2, 1, dir);   // relations two per chunk, objects one per chunk
        Tensor dz2 = Emulator.readF32(dir.resolve("dz.bin"), b, o, s), dm2 = Emulator.readF32(dir.resolve("dm.bin"), k, s, s);
        assertClose("dz (chunked)", dz2, zd.grad(), TOL);
        assertClose("dm (chunked)", dm2, md.grad(), TOL);
    }
}

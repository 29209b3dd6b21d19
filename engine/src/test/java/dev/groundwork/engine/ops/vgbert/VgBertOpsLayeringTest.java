package dev.groundwork.engine.ops.vgbert;

import dev.groundwork.engine.ops.Attention;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * VG-BERT's ops live outside the engine's contract: the core ops package knows nothing of them, F
 * does not list them, and the CPU backend offers no fused kernel for them (nor for attention), so
 * every op composes primitives there: the reference the fused kernels are tested against.
 */
class VgBertOpsLayeringTest {
    private static final Path OPS = Path.of(System.getProperty("gw.root", ".."), "engine/src/main/java/dev/groundwork/engine/ops");

    /** Java source without its comments (a comment may name the package; only code depends on it). */
    static String code(String java) {
        return java.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    @Test
    void theCoreOpsPackageDoesNotDependOnVgBert() throws Exception {
        try (Stream<Path> s = Files.list(OPS)) {
            List<String> offenders = s.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return code(Files.readString(p)).contains("ops.vgbert");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(p -> p.getFileName().toString()).toList();
            assertTrue(offenders.isEmpty(), "ops must not depend on ops.vgbert: " + offenders);
        }
    }

    @Test
    void commentsAreNotCode() {
        assertEquals("import a.b;\nint x; ", code("/** ops.vgbert */import a.b;\nint x; // ops.vgbert"));
    }

    @Test
    void fListsNoVgBertOp() {
        List<String> vgbert = Arrays.stream(VgBertOps.class.getDeclaredMethods()).map(Method::getName).toList();
        List<String> inF = Arrays.stream(F.class.getDeclaredMethods()).map(Method::getName).filter(vgbert::contains).toList();
        assertTrue(inF.isEmpty(), "F still lists " + inF);
    }

    @Test
    void theCpuBackendFusesNothingSoEveryOpComposes() {
        var cpu = Tensor.zeros(1).backend();
        for (Class<?> kind : List.of(Attention.Kernel.class, MatchmapSimilarity.Kernel.class, TwoWayContrastive.Kernel.class,
                BilinearRelation.Kernel.class))
            assertNull(cpu.kernel(kind), kind.getName());
    }
}

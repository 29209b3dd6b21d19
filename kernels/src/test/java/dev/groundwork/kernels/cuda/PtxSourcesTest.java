package dev.groundwork.kernels.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PTX the jar carries is what the .cu sources compile to, and ptxas assembles it for sm_90 (and
 * sm_80). Needs nvcc/ptxas; skipped with the reason where they are missing. The byte comparison is
 * only meaningful for the same nvcc release as the committed PTX (its header names it).
 */
class PtxSourcesTest {
    static final Path KERNELS = Path.of(System.getProperty("gw.root", ".."), "kernels");
    static final Path SOURCES = KERNELS.resolve("src/main/cuda");
    static final Path COMMITTED = KERNELS.resolve("src/main/resources/dev/groundwork/kernels/ptx");

    static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    static List<String> cuNames() throws IOException {
        try (Stream<Path> s = Files.list(SOURCES)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu")).map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        }
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    @Test
    void everySourceHasCommittedPtxForBothTargets() throws Exception {
        for (String n : cuNames())
            for (String sm : new String[]{"sm_80", "sm_90"})
                assertTrue(Files.isRegularFile(COMMITTED.resolve(n + "." + sm + ".ptx")), "missing committed PTX for " + n + ".cu " + sm
                        + " (run kernels/build-ptx.sh --update)");
    }

    @Test
    void committedPtxMatchesSources() throws Exception {
        String nvcc = tool("nvcc");
        assumeTrue(nvcc != null, "nvcc not on PATH: cannot recompile the CUDA sources here");
        String version = run(List.of(nvcc, "--version"));
        String committedHeader = Files.readString(COMMITTED.resolve(cuNames().get(0) + ".sm_90.ptx"));
        String release = version.lines().filter(l -> l.startsWith("Cuda compilation tools")).findFirst().orElse("?");
        assumeTrue(committedHeader.contains(release), "committed PTX was made by another nvcc than " + release + "; byte comparison skipped");
        Path out = Files.createTempDirectory("gw-ptx");
        List<String> stale = new ArrayList<>();
        for (String n : cuNames()) {
            for (String sm : new String[]{"80", "90"}) {
                Path ptx = out.resolve(n + ".sm_" + sm + ".ptx");
                run(List.of(nvcc, "-ptx", "-O3", "-arch=compute_" + sm, "-I" + SOURCES, "-o", ptx.toString(), SOURCES.resolve(n + ".cu").toString()));
                if (!Files.readString(ptx).equals(Files.readString(COMMITTED.resolve(ptx.getFileName()))))
                    stale.add(ptx.getFileName().toString());
            }
        }
        assertTrue(stale.isEmpty(), "committed PTX differs from the sources for " + stale + ": run kernels/build-ptx.sh --update");
    }

    @Test
    void ptxasAssemblesEveryKernel() throws Exception {
        String ptxas = tool("ptxas");
        assumeTrue(ptxas != null, "ptxas not on PATH: cannot assemble the PTX here");
        for (String n : cuNames()) {
            run(List.of(ptxas, "-arch=sm_90", COMMITTED.resolve(n + ".sm_90.ptx").toString(), "-o", "/dev/null"));
            run(List.of(ptxas, "-arch=sm_80", COMMITTED.resolve(n + ".sm_80.ptx").toString(), "-o", "/dev/null"));
        }
    }
}

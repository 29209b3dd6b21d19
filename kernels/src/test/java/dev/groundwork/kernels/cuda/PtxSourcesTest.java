package dev.groundwork.kernels.cuda;

import dev.groundwork.kernels.KernelSources;
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
 * The PTX the jar carries is what the .cu sources compile to (one {@code <name>.ptx} per source, for
 * compute_80), and ptxas assembles it for sm_80 and for sm_90, the two families the driver
 * JIT-compiles it for: the sources' hashes match those recorded when it was made, a fresh compile
 * declares the same kernels, and ptxas accepts it. The last two need nvcc/ptxas and are skipped with
 * the reason where they are missing.
 */
class PtxSourcesTest {
    static final Path SOURCES = KernelSources.SOURCES;
    static final Path COMMITTED = KernelSources.COMMITTED;

    static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    static List<String> cuNames() throws IOException { return KernelSources.cuNames(); }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    static String sha256(Path file) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return java.util.HexFormat.of().formatHex(d);
    }

    @Test
    void everySourceHasOneCommittedPtxAndNoPtxOutlivesItsSource() throws Exception {
        List<String> names = cuNames();
        for (String n : names)
            assertTrue(Files.isRegularFile(COMMITTED.resolve(n + ".ptx")), "missing committed PTX for " + n + ".cu (run kernels/build-ptx.sh --update)");
        try (Stream<Path> s = Files.list(COMMITTED)) {
            List<String> orphans = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".ptx"))
                    .filter(f -> !names.contains(f.substring(0, f.length() - 4))).sorted().toList();
            assertTrue(orphans.isEmpty(), "committed PTX without a .cu source: " + orphans);
        }
    }

    /** The PTX targets the virtual architecture PtxModules documents, so the driver can JIT it for Ampere and Hopper alike. */
    @Test
    void everyPtxTargetsTheArchitectureThePtxModulesLoad() throws Exception {
        String target = ".target sm_" + PtxModules.PTX_ARCH.substring("compute_".length());
        for (String n : cuNames())
            assertTrue(Files.readString(COMMITTED.resolve(n + ".ptx")).lines().anyMatch(l -> l.strip().equals(target)),
                    n + ".ptx is not compiled for " + PtxModules.PTX_ARCH + " (run kernels/build-ptx.sh --update)");
    }

    /** The committed PTX was made from exactly the current .cu and .cuh files (build-ptx.sh records their hashes). */
    @Test
    void committedPtxWasMadeFromTheCurrentSources() throws Exception {
        Path manifest = COMMITTED.resolve("SOURCES.sha256");
        assertTrue(Files.isRegularFile(manifest), manifest + " is missing: run kernels/build-ptx.sh --update");
        List<String> want = new ArrayList<>();
        try (Stream<Path> s = Files.list(SOURCES)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".cu") || f.toString().endsWith(".cuh")).sorted().toList())
                want.add(sha256(p) + "  " + p.getFileName());
        }
        assertEquals(want, Files.readAllLines(manifest), "the CUDA sources changed since the committed PTX was made: run kernels/build-ptx.sh --update");
    }

    /**
     * A fresh compile declares the same kernels with the same parameters as the committed PTX. The
     * instruction text itself is not compared: nvcc 13.0 does not always emit the same PTX for the
     * same source (seen for attention.cu: an extra shared load and renumbered registers from one run
     * to the next); the source hashes above pin the bodies instead.
     */
    @Test
    void committedPtxDeclaresTheKernelsAFreshCompileDeclares() throws Exception {
        String nvcc = tool("nvcc");
        assumeTrue(nvcc != null, "nvcc not on PATH: cannot recompile the CUDA sources here");
        Path out = Files.createTempDirectory("gw-ptx");
        List<String> stale = new ArrayList<>();
        for (String n : cuNames()) {
            Path ptx = out.resolve(n + ".ptx");
            run(List.of(nvcc, "-ptx", "-O3", "-arch=" + PtxModules.PTX_ARCH, "-I" + SOURCES, "-o", ptx.toString(), SOURCES.resolve(n + ".cu").toString()));
            var fresh = KernelSources.entryParams(Files.readString(ptx));
            var committed = KernelSources.entryParams(Files.readString(COMMITTED.resolve(ptx.getFileName())));
            assertFalse(fresh.isEmpty(), ptx + " declares no kernel");
            if (!fresh.equals(committed)) stale.add(ptx.getFileName() + " " + fresh + " vs committed " + committed);
        }
        assertTrue(stale.isEmpty(), "committed PTX declares other kernels than the sources: run kernels/build-ptx.sh --update: " + stale);
    }

    @Test
    void entrySignaturesAreReadOffThePtx() {
        String ptx = ".visible .entry gw_k(\n\t.param .u64 .ptr .align 1 gw_k_param_0,\n\t.param .f64 gw_k_param_1,\n"
                + "\t.param .align 8 .b8 gw_k_param_2[104],\n\t.param .s32 gw_k_param_3\n)\n{";
        assertEquals(java.util.Map.of("gw_k", List.of("u64", "f64", "b8[104]", "u32")), KernelSources.entryParams(ptx));
    }

    @Test
    void ptxasAssemblesEveryPtxForAmpereAndHopper() throws Exception {
        String ptxas = tool("ptxas");
        assumeTrue(ptxas != null, "ptxas not on PATH: cannot assemble the PTX here");
        for (String n : cuNames()) {
            run(List.of(ptxas, "-arch=sm_80", COMMITTED.resolve(n + ".ptx").toString(), "-o", "/dev/null"));
            run(List.of(ptxas, "-arch=sm_90", COMMITTED.resolve(n + ".ptx").toString(), "-o", "/dev/null"));
        }
    }
}

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
 * sm_80): the sources' hashes match those recorded when it was made, a fresh compile declares the same
 * kernels, and ptxas accepts it. The last two need nvcc/ptxas and are skipped with the reason where
 * they are missing.
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

    private static final java.util.regex.Pattern ENTRY = java.util.regex.Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)");

    /** Every kernel entry point with its parameter types, in order: what the host-side launches rely on. */
    static List<String> entries(String ptx) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            StringBuilder sig = new StringBuilder(m.group(1)).append('(');
            for (String param : m.group(2).split(",")) {
                String t = param.strip();
                if (t.isEmpty()) continue;
                sig.append(t.replaceAll("\\s+\\S+$", "")).append(';');   // ".param .u64 .ptr .align 1 name" without the name
            }
            out.add(sig.append(')').toString());
        }
        return out;
    }

    static String sha256(Path file) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return java.util.HexFormat.of().formatHex(d);
    }

    @Test
    void everySourceHasCommittedPtxForBothTargets() throws Exception {
        for (String n : cuNames())
            for (String sm : new String[]{"sm_80", "sm_90"})
                assertTrue(Files.isRegularFile(COMMITTED.resolve(n + "." + sm + ".ptx")), "missing committed PTX for " + n + ".cu " + sm
                        + " (run kernels/build-ptx.sh --update)");
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
            for (String sm : new String[]{"80", "90"}) {
                Path ptx = out.resolve(n + ".sm_" + sm + ".ptx");
                run(List.of(nvcc, "-ptx", "-O3", "-arch=compute_" + sm, "-I" + SOURCES, "-o", ptx.toString(), SOURCES.resolve(n + ".cu").toString()));
                List<String> fresh = entries(Files.readString(ptx)), committed = entries(Files.readString(COMMITTED.resolve(ptx.getFileName())));
                assertFalse(fresh.isEmpty(), ptx + " declares no kernel");
                if (!fresh.equals(committed)) stale.add(ptx.getFileName() + " " + fresh + " vs committed " + committed);
            }
        }
        assertTrue(stale.isEmpty(), "committed PTX declares other kernels than the sources: run kernels/build-ptx.sh --update: " + stale);
    }

    @Test
    void entrySignaturesAreReadOffThePtx() {
        String ptx = ".visible .entry gw_k(\n\t.param .u64 .ptr .align 1 gw_k_param_0,\n\t.param .f64 gw_k_param_1\n)\n{";
        assertEquals(List.of("gw_k(.param .u64 .ptr .align 1;.param .f64;)"), entries(ptx));
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

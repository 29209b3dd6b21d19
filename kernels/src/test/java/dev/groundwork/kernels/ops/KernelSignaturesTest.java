package dev.groundwork.kernels.ops;

import dev.groundwork.kernels.KernelSources;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.EntryPoint.Param;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What PTX cannot tell, the C++ source can: a pointer from a {@code long long} (both are .u64 in
 * PTX). Each .cu, preprocessed by nvcc (so macro-generated entry points such as attention.cu's are
 * expanded), must declare every kernel exactly with the parameter kinds of its host class's
 * {@link EntryPoint}, and nothing else. Skipped with the reason without nvcc; {@link EntryPointsTest}
 * still holds the declarations against the committed PTX there.
 */
class KernelSignaturesTest {
    private static final Pattern KERNEL = Pattern.compile(
            "extern \"C\" __attribute__\\(\\(global\\)\\)\\s+void\\s+(?:__attribute__\\(\\(\\w+(?:\\([^)]*\\))?\\)\\)\\s*)*(\\w+)\\s*\\(([^)]*)\\)");

    /** The parameter kind of one C parameter declaration ("const float* __restrict__ q", "long long n", "Layout a"). */
    static Param kind(String decl) {
        String t = decl.strip();
        if (t.contains("*")) return Param.PTR;
        t = t.replaceAll("\\s+\\w+$", "").replaceAll("\\b(const|volatile|__restrict__)\\b", "").strip().replaceAll("\\s+", " ");
        return switch (t) {
            case "int", "unsigned", "unsigned int", "int32_t", "uint32_t" -> Param.I32;
            case "long long", "unsigned long long", "int64_t", "uint64_t" -> Param.I64;
            case "float" -> Param.F32;
            case "double" -> Param.F64;
            case "Layout" -> Param.LAYOUT;
            default -> throw new AssertionError("no parameter kind for C type '" + t + "' in '" + decl + "'");
        };
    }

    /** kernel name -> parameter kinds, for every extern "C" __global__ function of the preprocessed source. */
    static Map<String, List<Param>> kernels(String preprocessed) {
        Map<String, List<Param>> out = new HashMap<>();
        Matcher m = KERNEL.matcher(preprocessed);
        while (m.find()) {
            List<Param> ps = new ArrayList<>();
            for (String p : m.group(2).split(",")) if (!p.isBlank()) ps.add(kind(p));
            out.put(m.group(1), ps);
        }
        return out;
    }

    private static String preprocess(String nvcc, String cuName) throws Exception {
        Path src = KernelSources.SOURCES.resolve(cuName + ".cu");
        Process p = new ProcessBuilder(nvcc, "-E", "-arch=compute_80", "-I" + KernelSources.SOURCES, src.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc -E timed out on " + src);
        assertEquals(0, p.exitValue(), "nvcc -E failed on " + src);
        return out;
    }

    private static String nvcc() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "nvcc");
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    @Test
    void everyEntryPointPacksWhatItsKernelDeclares() throws Exception {
        String nvcc = nvcc();
        assumeTrue(nvcc != null, "nvcc not on PATH: cannot preprocess the CUDA sources here");
        Map<String, Map<String, List<Param>>> declared = new HashMap<>();
        for (Class<?> c : HostClasses.all())
            for (EntryPoint e : HostClasses.entryPoints(c))
                declared.computeIfAbsent(e.file(), k -> new HashMap<>()).put(e.name(), e.params());
        List<String> wrong = new ArrayList<>();
        for (String n : KernelSources.cuNames()) {
            Map<String, List<Param>> source = kernels(preprocess(nvcc, n)), host = declared.getOrDefault(n, Map.of());
            if (source.isEmpty()) wrong.add(n + ".cu: no kernel found in the preprocessed source");
            if (!source.equals(host)) wrong.add(n + ".cu declares " + source + "\n  its host class packs " + host);
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void parameterKindsAreReadOffTheCDeclarations() {
        String src = "extern \"C\" __attribute__((global)) void __attribute__((launch_bounds(128))) gw_k(const float* __restrict__ x, "
                + "long long n, int d, float s, double keep, unsigned long long seed, Layout L) { }";
        assertEquals(Map.of("gw_k", List.of(Param.PTR, Param.I64, Param.I32, Param.F32, Param.F64, Param.I64, Param.LAYOUT)), kernels(src));
    }
}

package dev.groundwork.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the CUDA sources and the committed PTX are, for the tests that hold them against each other
 * and against the host classes: the .cu names, each one's host class name, and the kernel entry
 * points a PTX file declares with their parameter types.
 */
public final class KernelSources {
    private KernelSources() {}

    public static final Path KERNELS = Path.of(System.getProperty("gw.root", ".."), "kernels");
    public static final Path SOURCES = KERNELS.resolve("src/main/cuda");
    public static final Path COMMITTED = KERNELS.resolve("src/main/resources/dev/groundwork/kernels/ptx");
    public static final String OPS_PACKAGE = "dev.groundwork.kernels.ops";

    /** The .cu files' names without the extension, sorted. */
    public static List<String> cuNames() throws IOException {
        try (Stream<Path> s = Files.list(SOURCES)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu")).map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        }
    }

    /** snake_case file name → CamelCase + "Kernels": layer_norm ↔ LayerNormKernels, attention_bf16_bwd ↔ AttentionBf16BwdKernels. */
    public static String hostClassName(String cuName) {
        StringBuilder b = new StringBuilder();
        for (String part : cuName.split("_")) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        return OPS_PACKAGE + "." + b + "Kernels";
    }

    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+(.*?)\\s+(\\w+)(\\[(\\d+)])?");

    /**
     * Every kernel entry point of a PTX text with its parameters, each as its PTX type: "u64"
     * (.u64/.s64/.b64: a pointer or a 64-bit integer), "u32" (.u32/.s32/.b32), "f32", "f64", or
     * "b8[N]" for a struct passed by value (".param .align 8 .b8 name[N]").
     */
    public static Map<String, List<String>> entryParams(String ptx) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            List<String> types = new ArrayList<>();
            for (String param : m.group(2).split(",")) {
                String t = param.strip();
                if (t.isEmpty()) continue;
                Matcher p = PARAM.matcher(t);
                if (!p.matches()) throw new AssertionError("unreadable PTX parameter of " + m.group(1) + ": " + t);
                types.add(ptxType(p.group(1), p.group(4)));
            }
            if (out.put(m.group(1), types) != null) throw new AssertionError("entry " + m.group(1) + " declared twice");
        }
        return out;
    }

    private static String ptxType(String qualifiers, String arraySize) {
        List<String> q = List.of(qualifiers.split("\\s+"));
        if (arraySize != null && q.contains(".b8")) return "b8[" + arraySize + "]";
        for (String t : q) {
            switch (t) {
                case ".u64", ".s64", ".b64" -> { return "u64"; }
                case ".u32", ".s32", ".b32" -> { return "u32"; }
                case ".f32" -> { return "f32"; }
                case ".f64" -> { return "f64"; }
                default -> { }
            }
        }
        throw new AssertionError("unknown PTX parameter type: " + qualifiers);
    }
}

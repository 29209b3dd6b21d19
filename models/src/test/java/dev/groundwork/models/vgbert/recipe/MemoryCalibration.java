package dev.groundwork.models.vgbert.recipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures the smallest heap ({@code -Xmx}, in MiB) under which one training step of a stage runs, by
 * bisection over child JVMs running {@link StepProbe}, and prints it beside {@link MemoryEstimate}'s
 * formula. How {@link MemoryEstimate}'s calibration was measured; rerun it after a change to the engine's
 * memory use (it takes minutes per stage at the paper preset). With the test class path (surefire's
 * {@code surefire.test.class.path}, e.g. from {@code models/target/surefire-reports/TEST-*.xml}):
 * <pre>java --add-modules jdk.incubator.vector -cp CP dev.groundwork.models.vgbert.recipe.MemoryCalibration paper two-stream:2,6 relational:2,6 retrieval:2,6</pre>
 */
public final class MemoryCalibration {
    private MemoryCalibration() {}

    /** What one probe found: whether the step ran, and the formula's estimate in bytes. */
    record Probe(boolean ran, long estimate) {}

    public static void main(String[] args) throws Exception {
        String preset = args[0];
        System.out.println("stage\tbatch\tformula MiB\tmeasured MiB (smallest -Xmx that ran)");
        for (int a = 1; a < args.length; a++) {
            String[] sb = args[a].split(":");
            for (String b : sb[1].split(",")) {
                int batch = Integer.parseInt(b);
                long est = probe(sb[0], preset, batch, 16L << 10, true).estimate() >> 20;
                System.out.printf(Locale.ROOT, "%s\t%d\t%d\t%d%n", sb[0], batch, est, smallestHeap(sb[0], preset, batch, est));
            }
        }
    }

    /** Bisection to 6% between a heap that fails and one that runs, starting from the formula (a floor) and three times it. */
    static long smallestHeap(String stage, String preset, int batch, long estimateMib) throws IOException, InterruptedException {
        long lo = Math.max(16, estimateMib), hi = Math.max(64, estimateMib * 3);
        while (probe(stage, preset, batch, lo, false).ran()) { hi = lo; lo = Math.max(8, lo / 2); }
        while (!probe(stage, preset, batch, hi, false).ran()) { lo = hi; hi *= 2; }
        while (hi - lo > Math.max(8, hi * 6 / 100)) {
            long mid = (lo + hi) / 2;
            if (probe(stage, preset, batch, mid, false).ran()) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    /** One child JVM with {@code -Xmx<heapMib>m} (serial GC: no concurrent collector's headroom) running one step. */
    static Probe probe(String stage, String preset, int batch, long heapMib, boolean estimateOnly) throws IOException, InterruptedException {
        String cp = System.getProperty("surefire.test.class.path");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + heapMib + "m", "-XX:+UseSerialGC",
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path"),
                StepProbe.class.getName(), stage, preset, Integer.toString(batch)));
        if (estimateOnly) cmd.add("estimate");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("probe " + stage + " " + batch + " at " + heapMib + " MiB did not finish");
        }
        int code = p.exitValue();
        if (code != 0 && code != StepProbe.OUT_OF_MEMORY) throw new IllegalStateException("probe failed (" + code + "):\n" + out);
        long est = out.lines().filter(l -> l.startsWith("estimate ")).mapToLong(l -> Long.parseLong(l.substring(9).trim())).findFirst().orElse(-1);
        return new Probe(code == 0, est);
    }
}

package dev.groundwork.engine.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a main class of the test classpath as {@code mpirun -np N --oversubscribe} processes on this
 * host, for the multi-process tests. Without {@code mpirun} the test is skipped with the reason,
 * except under {@code CI} (which installs Open MPI, see {@code .ci/run}), where that is a failure.
 * As root, Open MPI's two allow-run-as-root variables are set; each rank gets one CPU thread, so N
 * JVMs share the host's cores instead of each taking them all.
 */
public final class MpiRun {
    private MpiRun() {}

    /** What the processes printed (stdout and stderr, interleaved), the exit code and the wall time. */
    public record Result(int exitCode, String output, double seconds) {}

    /** The mpirun on PATH, or a skip (a failure under CI). */
    public static Path mpirun() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "mpirun");
            if (Files.isExecutable(p)) return p;
        }
        String why = "mpirun not found on PATH (apt-get install openmpi-bin libopenmpi-dev)";
        if (System.getenv("CI") != null) fail(why + "; CI installs it, so this is a failure");
        Assumptions.abort(why);
        return null;
    }

    public static Result run(int np, int timeoutSeconds, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(mpirun().toString(), "-np", Integer.toString(np), "--oversubscribe", "--bind-to", "none",
                // Containers often forbid the cross-memory attach that shared-memory transport tries first.
                "--mca", "btl_vader_single_copy_mechanism", "none"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-Xmx1g",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dgw.threads=1"));
        cmd.addAll(List.of("-cp", classPath(), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT", "1");
        pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
        long t0 = System.nanoTime();
        Process p = pb.start();
        // Read while it runs, so a full pipe never stalls the ranks.
        var out = new java.io.ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            reader.join(2000);
            fail("mpirun -np " + np + " " + main.getSimpleName() + " did not finish within " + timeoutSeconds + " s; output:\n" + out.toString(StandardCharsets.UTF_8));
        }
        reader.join(5000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1e9);
    }

    /** The forked test JVM's class path (surefire's own, not its booter jar). */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}

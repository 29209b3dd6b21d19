package dev.groundwork.engine.settings;

import dev.groundwork.engine.tensor.Device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Every {@code GW_*} environment variable, read in one place under one rule. No other main source
 * calls {@code System.getenv("GW_...")}: a variable is added to {@link Var} with its meaning, and read
 * through the typed accessor next to it.
 *
 * <p>The rules: unset or blank means the default. A switch accepts {@code 1/0}, {@code true/false},
 * {@code yes/no} and {@code on/off} in any case; anything else is a {@link SettingsException} naming the
 * variable, its value and what it accepts, never a silent default. Tests build their own instance from
 * a map ({@link #of}); everything else uses {@link #current()}, the process environment.
 */
public final class Settings {
    /** The variables, each with what it means; {@code gw --help} and the README list these. */
    public enum Var {
        GW_DEVICE("cpu, cuda or cuda:N", "the default device (default cpu)"),
        GW_THREADS("a positive integer", "CPU backend threads (default: the core count); the system property gw.threads wins"),
        GW_TF32("a switch", "TF32 tensor cores for CUDA GEMMs and convolutions (default on)"),
        GW_CUDNN("a switch", "cuDNN convolutions where the library loads (default on; off: our im2col + cuBLAS)"),
        GW_FUSED("a switch", "fused kernels behind the ops (default on; off: every op composed from primitives)"),
        GW_ATTENTION_BF16("a switch", "F.attention's fused kernel in bf16 on tensor cores (default off until run on a GPU)"),
        GW_MATCHMAP_TF32("a switch", "the stage-2 matchmap max on TF32 tensor cores, with TF32 on (default off until run on a GPU)"),
        GW_CUDA_LIBS("folders separated by ':'", "where to look first for libcublas, libcudnn and other CUDA libraries"),
        GW_GOLDEN("a folder", "the golden reference cases (default ../shared/golden from the repository root)"),
        GW_MPI_LIB("a file or folder", "the Open MPI library (libmpi.so.N) for multi-process runs, before the system folders"),
        GW_NCCL_LIB("a file or folder", "the NCCL library (libnccl.so.N) for multi-GPU runs, before CUDA_HOME and the system folders"),
        GW_COMM_TIMEOUT("a positive integer", "seconds a collective waits for the other ranks before the run fails naming it (default 600)"),
        GW_RANK("an integer from 0", "this process's rank, set by gw launch for the processes it starts"),
        GW_WORLD_SIZE("a positive integer", "the number of processes of the run, set by gw launch"),
        GW_LOCAL_RANK("an integer from 0", "this process's rank on its node (its GPU), set by gw launch"),
        GW_RENDEZVOUS("a file", "where rank 0 of a gw launch run writes NCCL's unique id for the others (a path every node sees)"),
        GW_CACHE("a folder", "where gw keeps caches such as gw search's image embeddings (default $XDG_CACHE_HOME/groundwork, "
                + "else ~/.cache/groundwork; the system property gw.cache.dir wins)"),
        GW_PROGRESS("bar, lines or off", "training progress on stderr: a redrawn bar (a terminal), periodic plain lines (a log) or none "
                + "(default: ./gw sets bar when stderr is a terminal; otherwise lines)");

        private final String accepts, meaning;

        Var(String accepts, String meaning) {
            this.accepts = accepts;
            this.meaning = meaning;
        }

        public String accepts() { return accepts; }

        public String meaning() { return meaning; }
    }

    private final Map<String, String> env;
    private final Properties props;

    private Settings(Map<String, String> env, Properties props) {
        this.env = env;
        this.props = props;
    }

    /** The process environment and system properties. Cheap: it reads nothing until asked. */
    public static Settings current() { return new Settings(System.getenv(), System.getProperties()); }

    /** A fixed environment (tests); no system properties. */
    public static Settings of(Map<String, String> env) { return new Settings(Map.copyOf(env), new Properties()); }

    /** The raw value, or empty when unset or blank. */
    public Optional<String> raw(Var v) {
        String s = env.get(v.name());
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    // ------------------------------------------------------------------ typed accessors

    /** GW_DEVICE: the default device. */
    public Device device() {
        Optional<String> s = raw(Var.GW_DEVICE);
        if (s.isEmpty()) return Device.CPU;
        try {
            return Device.parse(s.get());
        } catch (IllegalArgumentException e) {
            throw invalid(Var.GW_DEVICE, s.get());
        }
    }

    /** The CPU backend's thread count: -Dgw.threads, else GW_THREADS, else the core count. */
    public int threads() {
        String p = props.getProperty("gw.threads");
        if (p != null && !p.isBlank()) return positive("system property gw.threads", p.trim());
        Optional<String> s = raw(Var.GW_THREADS);
        return s.isPresent() ? positive(Var.GW_THREADS.name(), s.get()) : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public boolean tf32() { return flag(Var.GW_TF32, true); }

    public boolean cudnn() { return flag(Var.GW_CUDNN, true); }

    public boolean fused() { return flag(Var.GW_FUSED, true); }

    public boolean attentionBf16() { return flag(Var.GW_ATTENTION_BF16, false); }

    public boolean matchmapTf32() { return flag(Var.GW_MATCHMAP_TF32, false); }

    /** GW_CUDA_LIBS as folders, in order. */
    public List<Path> cudaLibs() {
        List<Path> out = new ArrayList<>();
        raw(Var.GW_CUDA_LIBS).ifPresent(s -> {
            for (String d : s.split(":")) if (!d.isBlank()) out.add(Path.of(d.trim()));
        });
        return out;
    }

    /** GW_MPI_LIB, if set. */
    public Optional<Path> mpiLib() { return raw(Var.GW_MPI_LIB).map(Path::of); }

    /** GW_NCCL_LIB, if set. */
    public Optional<Path> ncclLib() { return raw(Var.GW_NCCL_LIB).map(Path::of); }

    /**
     * GW_COMM_TIMEOUT in seconds (default 600: a BERT-base all-reduce takes milliseconds, and a
     * slow first step with lazy kernel loading a few seconds, so ten minutes only ever catches a rank
     * that is gone).
     */
    public int commTimeoutSeconds() {
        Optional<String> s = raw(Var.GW_COMM_TIMEOUT);
        return s.isPresent() ? positive(Var.GW_COMM_TIMEOUT.name(), s.get()) : 600;
    }

    /** GW_RANK, GW_WORLD_SIZE, GW_LOCAL_RANK as set by gw launch: {rank, size, localRank}, or empty when not launched so. */
    public Optional<int[]> launchedRank() {
        Optional<String> size = raw(Var.GW_WORLD_SIZE);
        if (size.isEmpty()) return Optional.empty();
        int n = positive(Var.GW_WORLD_SIZE.name(), size.get());
        int rank = nonNegative(Var.GW_RANK, raw(Var.GW_RANK).orElseThrow(() -> new SettingsException("GW_WORLD_SIZE is set but GW_RANK is not")));
        int local = nonNegative(Var.GW_LOCAL_RANK, raw(Var.GW_LOCAL_RANK).orElse("0"));
        if (rank >= n) throw new SettingsException("GW_RANK=" + rank + " is not below GW_WORLD_SIZE=" + n);
        return Optional.of(new int[]{rank, n, local});
    }

    /** GW_RENDEZVOUS, if set. */
    public Optional<Path> rendezvous() { return raw(Var.GW_RENDEZVOUS).map(Path::of); }

    private static int nonNegative(Var v, String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException(v.name() + "='" + s + "': expected " + v.accepts() + " (" + v.meaning() + ")");
    }

    /** How progress is shown: a redrawn bar, plain periodic lines, or nothing. */
    public enum ProgressStyle { BAR, LINES, OFF }

    /** GW_PROGRESS; unset: lines, the style that is right in a file or a pipe (./gw asks for the bar on a terminal). */
    public ProgressStyle progress() {
        Optional<String> s = raw(Var.GW_PROGRESS);
        if (s.isEmpty()) return ProgressStyle.LINES;
        return switch (s.get().toLowerCase(Locale.ROOT)) {
            case "bar" -> ProgressStyle.BAR;
            case "lines" -> ProgressStyle.LINES;
            case "off" -> ProgressStyle.OFF;
            default -> throw invalid(Var.GW_PROGRESS, s.get());
        };
    }

    /** The cache folder: -Dgw.cache.dir, else GW_CACHE, else $XDG_CACHE_HOME/groundwork, else ~/.cache/groundwork. */
    public Path cacheDir() {
        String p = props.getProperty("gw.cache.dir");
        if (p != null && !p.isBlank()) return Path.of(p.trim());
        Optional<String> s = raw(Var.GW_CACHE);
        if (s.isPresent()) return Path.of(s.get());
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg.trim(), "groundwork");
        return Path.of(props.getProperty("user.home", System.getProperty("user.home")), ".cache", "groundwork");
    }

    /** GW_GOLDEN, if set. */
    public Optional<Path> golden() { return raw(Var.GW_GOLDEN).map(Path::of); }

    /**
     * Reads every variable once, so a bad value is reported when a program starts (one message per
     * variable, joined) rather than deep inside the first op that reads it.
     */
    public void validate() {
        List<String> bad = new ArrayList<>();
        Runnable[] reads = {this::device, this::threads, this::tf32, this::cudnn, this::fused, this::attentionBf16, this::matchmapTf32, this::commTimeoutSeconds, this::launchedRank, this::progress};
        for (Runnable r : reads) {
            try {
                r.run();
            } catch (SettingsException e) {
                bad.add(e.getMessage());
            }
        }
        if (!bad.isEmpty()) throw new SettingsException(String.join("; ", bad));
    }

    // ------------------------------------------------------------------ the rules

    /** A switch: 1/true/yes/on or 0/false/no/off in any case; unset or blank: the default. */
    public boolean flag(Var v, boolean dflt) {
        Optional<String> s = raw(v);
        if (s.isEmpty()) return dflt;
        return switch (s.get().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw invalid(v, s.get());
        };
    }

    private static int positive(String name, String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException(name + "='" + s + "': expected a positive integer");
    }

    private static SettingsException invalid(Var v, String value) {
        String accepts = v.accepts().equals("a switch") ? "1/0, true/false, yes/no or on/off" : v.accepts();
        return new SettingsException(v.name() + "='" + value + "': expected " + accepts + " (" + v.meaning() + ")");
    }
}

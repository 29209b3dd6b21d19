package dev.groundwork.kernels.blas;

import dev.groundwork.engine.settings.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds cuBLAS and cuDNN shared libraries of whatever major version the host has. JCublas 12.6 and
 * JCudnn 11.7 link against libcublas.so.12 / libcudnn.so.8 with versioned symbols, which a CUDA 13
 * host lacks (see README, GPU section), so the backend binds the libraries itself through FFM and
 * only needs to find them: first the folders in {@code GW_CUDA_LIBS} (':'-separated), then
 * {@code CUDA_HOME}/{@code CUDA_PATH}, the usual toolkit and distribution folders, and the
 * {@code nvidia/*}/lib folders of Python environments (where pip's CUDA wheels put them).
 */
public final class NativeLibraries {
    private NativeLibraries() {}

    public static final String ENV = Settings.Var.GW_CUDA_LIBS.name();

    /** The newest {@code lib<name>.so.<major>} found, or empty. */
    public static Optional<Path> find(String name) {
        Pattern p = Pattern.compile("lib" + Pattern.quote(name) + "\\.so\\.(\\d+)(?:\\.[\\d.]+)?");
        for (Path dir : searchPath()) {
            List<Path> hits = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(f -> p.matcher(f.getFileName().toString()).matches()).forEach(hits::add);
            } catch (IOException | SecurityException e) {
                continue;
            }
            Optional<Path> best = hits.stream().max(Comparator.<Path>comparingInt(f -> major(p, f)).thenComparingInt(f -> -f.getFileName().toString().length()));
            if (best.isPresent()) return best;
        }
        return Optional.empty();
    }

    /** The newest {@code lib<name>.so.<major>} in one folder. */
    public static Optional<Path> findIn(Path dir, String name) {
        Pattern p = Pattern.compile("lib" + Pattern.quote(name) + "\\.so\\.(\\d+)(?:\\.[\\d.]+)?");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> p.matcher(f.getFileName().toString()).matches())
                    .max(Comparator.comparingInt(f -> major(p, f)));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static int major(Pattern p, Path f) {
        Matcher m = p.matcher(f.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Folders searched, in order; only existing ones. */
    public static List<Path> searchPath() {
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.addAll(Settings.current().cudaLibs());
        for (String var : new String[]{"CUDA_HOME", "CUDA_PATH"}) {
            String h = System.getenv(var);
            if (h != null && !h.isBlank()) {
                dirs.add(Path.of(h, "lib64"));
                dirs.add(Path.of(h, "targets", "x86_64-linux", "lib"));
            }
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.add(Path.of("/usr/local/cuda/targets/x86_64-linux/lib"));
        globInto(dirs, Path.of("/usr/local"), "cuda-*", "targets/x86_64-linux/lib");
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        dirs.add(Path.of("/usr/lib64"));
        dirs.add(Path.of("/usr/lib"));
        for (String root : new String[]{System.getenv("VIRTUAL_ENV"), System.getenv("CONDA_PREFIX"), "/opt", "/usr/local/lib", "/usr/lib", System.getProperty("user.home") + "/.local/lib"})
            if (root != null)
            pythonNvidia(dirs, Path.of(root), 0);
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) if (Files.isDirectory(d)) out.add(d);
        return out;
    }

    private static void globInto(Set<Path> dirs, Path parent, String glob, String sub) {
        try (var s = Files.newDirectoryStream(parent, glob)) {
            for (Path p : s) dirs.add(p.resolve(sub));
        } catch (IOException | SecurityException ignored) {
        }
    }

    /** {root}/.../python3.X/{site,dist}-packages/nvidia/<pkg>/lib, at most 5 levels below the root. */
    private static void pythonNvidia(Set<Path> dirs, Path root, int unused) {
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> s = Files.find(root, 5, (p, a) -> a.isDirectory() && p.getFileName() != null
                && p.getFileName().toString().startsWith("python3"))) {
            s.forEach(py -> {
                for (String pk : new String[]{"site-packages", "dist-packages"}) {
                    Path nv = py.resolve(pk).resolve("nvidia");
                    if (!Files.isDirectory(nv)) continue;
                    try (var libs = Files.newDirectoryStream(nv)) {
                        for (Path lib : libs) dirs.add(lib.resolve("lib"));
                    } catch (IOException | SecurityException ignored) {
                    }
                }
            });
        } catch (IOException | SecurityException | java.io.UncheckedIOException ignored) {
        }
    }
}

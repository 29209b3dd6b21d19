package dev.groundwork.tools;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where {@code gw} is installed, so that the data beside the checkout (the shared folder's
 * bert-base-uncased vocabulary) is found from any working directory: the repository root is the folder
 * above {@code tools/} holding the running jar ({@code tools/target/gw.jar}) or classes. The jar also ships
 * that vocabulary itself ({@link #shipped}), for a clone with no shared folder beside it.
 */
final class Installation {
    private Installation() {}

    /** The repository root of the running {@code gw}, or null when it runs from elsewhere (a copied jar). */
    static Path root() {
        try {
            Path code = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            // tools/target/gw.jar or tools/target/classes: three levels up is the root.
            Path target = code.getParent(), tools = target == null ? null : target.getParent();
            if (tools == null || !tools.getFileName().toString().equals("tools") || tools.getParent() == null) return null;
            return tools.getParent();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    /**
     * The places a shared data file is looked for, in order: {@code ../shared/data} and {@code shared/data}
     * beside the installation's root, then the same relative to the working directory.
     */
    static List<Path> candidates(String name) {
        Set<Path> out = new LinkedHashSet<>();
        Path root = root();
        for (Path base : root == null ? List.of(Path.of("")) : List.of(root, Path.of("")))
            for (String rel : List.of("../shared/data/", "shared/data/"))
                out.add(base.toAbsolutePath().resolve(rel + name).normalize());
        return new ArrayList<>(out);
    }

    /** The first candidate that exists, or null. */
    static Path find(String name) {
        for (Path p : candidates(name)) if (Files.isRegularFile(p)) return p;
        return null;
    }

    /**
     * A file the jar itself ships (the bert-base-uncased vocabulary, so that a fresh clone without the shared
     * folder runs {@code gw demo}), given a path by copying it once to {@code GW_CACHE} (atomically; an
     * existing copy is kept when its bytes are the same). Null when the jar does not hold {@code name}.
     */
    static Path shipped(String name) throws IOException {
        byte[] bytes;
        try (var in = Installation.class.getResourceAsStream(name)) {
            if (in == null) return null;
            bytes = in.readAllBytes();
        }
        Path dir = dev.groundwork.engine.settings.Settings.current().cacheDir().resolve("data"), file = dir.resolve(name);
        if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) return file;
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }
}

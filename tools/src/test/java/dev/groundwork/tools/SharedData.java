package dev.groundwork.tools;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Files of shared/data beside the repository root or one of its ancestors (a git worktree sits deeper
 * than the main checkout). Absent: the calling test is skipped with the reason, unless CI is set, where
 * a missing fixture must fail rather than pass silently.
 */
final class SharedData {
    private SharedData() {}

    static Path file(String relative) {
        Path root = Path.of(System.getProperty("gw.root", "..")).toAbsolutePath().normalize();
        for (Path dir = root.getParent(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data").resolve(relative);
            if (Files.exists(candidate)) return candidate;
        }
        String why = "shared/data/" + relative + " not found above " + root;
        if (System.getenv("CI") != null) fail(why + " (CI is set, so this is a failure)");
        org.junit.jupiter.api.Assumptions.abort(why + "; skipping tests that need it");
        return null;
    }
}

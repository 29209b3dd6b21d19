package dev.groundwork.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Where a demo writes, so that running it again in the same folder works: without {@code --out}, the first of
 * {@code base}, {@code base-2}, {@code base-3}, ... that holds no earlier demo; with {@code --out}, that folder,
 * where an earlier demo needs {@code --overwrite}, which removes only the demo's own {@link #parts}.
 *
 * @param base  the default folder (relative to the working directory)
 * @param parts what a demo writes in its folder (sub-folders and files); nothing else there is touched
 */
record DemoFolder(Path base, List<String> parts) {
    /** The folder to write, or null after printing the refusal on {@code err}. */
    Path choose(Path out, boolean overwrite, String command, PrintWriter err) throws IOException {
        if (out == null) {
            Path dir = free();
            if (!dir.equals(base)) {
                err.println(command + ": " + base + " holds an earlier demo; writing to " + dir);
                err.flush();
            }
            return dir;
        }
        if (!holdsDemo(out)) return out;
        if (!overwrite) {
            err.println(command + ": " + out + " holds an earlier demo; add --overwrite to replace it, "
                    + "or choose another --out (without --out each run gets a fresh " + base + "-N)");
            err.flush();
            return null;
        }
        for (String p : parts) deleteTree(out.resolve(p));
        return out;
    }

    /** The same parts under another default folder. */
    DemoFolder withBase(Path other) { return new DemoFolder(other, parts); }

    /** {@code base}, or the first {@code base-N} (N = 2, 3, ...) that holds no earlier demo. */
    Path free() {
        if (!holdsDemo(base)) return base;
        for (int i = 2; ; i++) {
            Path p = base.resolveSibling(base.getFileName() + "-" + i);
            if (!holdsDemo(p)) return p;
        }
    }

    /** Whether {@code dir} has anything a demo writes. */
    boolean holdsDemo(Path dir) {
        for (String p : parts) if (Files.exists(dir.resolve(p), LinkOption.NOFOLLOW_LINKS)) return true;
        return false;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}

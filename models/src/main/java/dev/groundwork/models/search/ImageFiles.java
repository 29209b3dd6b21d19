package dev.groundwork.models.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The JPEG and PNG files under a folder, with the size and mtime the embedding cache keys on. */
final class ImageFiles {
    private ImageFiles() {}

    /**
     * One image file. {@code rel} uses '/' on every OS so a cache stays valid when the folder moves
     * or is shared; size and mtime (ms) together are a cheap stand-in for "content unchanged".
     */
    record Stamp(String rel, long size, long mtime) {}

    /** Every .jpg/.jpeg/.png below {@code folder} (recursively), sorted by relative path. */
    static List<Stamp> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) throw new IOException(folder + ": not a folder");
        List<Stamp> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!Files.isRegularFile(p) || !isImage(p)) continue;
                String rel = folder.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                out.add(new Stamp(rel, Files.size(p), Files.getLastModifiedTime(p).toMillis()));
            }
        }
        out.sort(java.util.Comparator.comparing(Stamp::rel));
        return out;
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }
}

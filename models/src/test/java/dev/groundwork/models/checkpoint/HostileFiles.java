package dev.groundwork.models.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Generators for the hostile files too large to commit: run them at the attack's size by hand
 * (e.g. 1.5 GiB), and at a size just over the reader's limit in the tests.
 */
final class HostileFiles {
    private HostileFiles() {}

    /** A zip whose one entry is {@code bytes} zeros, deflated (a few kilobytes per hundred MiB). */
    static Path deflatedZeros(Path file, String entry, long bytes) throws IOException {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry(entry));
            for (long left = bytes; left > 0; left -= chunk.length) z.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        return file;
    }
}

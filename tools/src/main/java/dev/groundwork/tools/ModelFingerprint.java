package dev.groundwork.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The string the search cache is keyed on. Hashing a 500 MB checkpoint on every query would be slow,
 * so the checkpoint is identified by its real path, size and mtime, plus the factory class (which
 * fixes architecture and preprocessing) and the image size.
 */
final class ModelFingerprint {
    private ModelFingerprint() {}

    static String of(Path checkpoint, EmbedderFactory factory, int imageSize) throws IOException {
        Path real = checkpoint.toRealPath();
        return factory.getClass().getName() + "|" + real + "|" + Files.size(real) + "|"
                + Files.getLastModifiedTime(real).toMillis() + "|S=" + imageSize;
    }
}

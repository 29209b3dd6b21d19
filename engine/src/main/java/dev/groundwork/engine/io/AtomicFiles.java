package dev.groundwork.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once or not at all, so a crash or an error mid-write never leaves a
 * truncated checkpoint where a good one used to be.
 *
 * <p>Recipe: write a temp file in the target's directory (a rename is only atomic within one file
 * system), force it to disk, rename it over the target with ATOMIC_MOVE, then fsync the directory so
 * the rename itself survives a power cut. If the platform cannot do an atomic move the write fails;
 * we never fall back to a non-atomic copy.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the file's contents through the channel, positioned at 0 of an empty file. */
    @FunctionalInterface
    public interface ChannelWriter {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code target} atomically. On any failure (including unchecked ones) the temp file is
     * deleted, the exception propagates and the previous {@code target}, if any, is untouched.
     */
    public static void write(Path target, ChannelWriter body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        removeStaleTemps(abs);
        Path tmp = createTemp(dir, abs.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                body.writeTo(ch);
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        fsyncDirectory(dir);
    }

    /** {@code bytes} as the whole of {@code target}, atomically ({@link #write}). */
    public static void write(Path target, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        write(target, ch -> { while (b.hasRemaining()) ch.write(b); });
    }

    /** {@code text} as UTF-8, atomically ({@link #write}). */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes the temp files an earlier writer of {@code target} left when it was killed mid-write
     * (their names are {@code .<name>.<hex>.tmp} beside it); returns how many. One writer per target
     * is assumed, as for a run's checkpoint, so none of them can still be in use.
     */
    public static int removeStaleTemps(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (!Files.isDirectory(dir)) return 0;
        java.util.regex.Pattern mine = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote("." + abs.getFileName() + ".") + "[0-9a-f]{1,16}\\.tmp");
        int n = 0;
        try (var files = Files.newDirectoryStream(dir)) {
            for (Path f : files) if (mine.matcher(f.getFileName().toString()).matches() && Files.deleteIfExists(f)) n++;
        }
        return n;
    }

    // Not Files.createTempFile: it creates the file with mode 0600, and the rename would carry that
    // mode over to the target. CREATE_NEW with a random name gets the normal umask-derived mode.
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) throw e;
            }
        }
    }

    // Linux and macOS allow opening a directory for reading and forcing it; Windows refuses, and
    // there the rename is already durable enough (NTFS journals metadata), so we carry on.
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The data is already in place; failing here would report an error for a completed write.
        }
    }
}

package dev.groundwork.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write must leave the previous file byte-identical and no temp file behind. */
class AtomicWriteTest {
    @TempDir Path dir;
    Path target;
    byte[] old;

    @BeforeEach
    void existingFile() throws IOException {
        target = dir.resolve("ckpt.safetensors");
        new SafeTensorsWriter().putF32("w", new long[] {2}, new float[] {1f, 2f}).write(target);
        old = Files.readAllBytes(target);
    }

    private List<String> dirListing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertUntouched() throws IOException {
        assertArrayEquals(old, Files.readAllBytes(target), "old file is byte-identical");
        assertEquals(List.of("ckpt.safetensors"), dirListing(), "no temp file left behind");
    }

    /** A writer whose second tensor writes part of its bytes and then runs into {@code failure}. */
    private static SafeTensorsWriter failingMidway(Exception failure) {
        return new SafeTensorsWriter()
                .putF32("a", new long[] {1000}, new float[1000])
                .put("b", SafeDType.F32, new long[] {1000}, out -> {
                    out.write(ByteBuffer.allocate(100));
                    if (failure instanceof IOException io) throw io;
                    throw (RuntimeException) failure;
                });
    }

    @Test
    void aWriteRemovesTheTempFilesAKilledWriterOfTheSameTargetLeft() throws IOException {
        Path target = dir.resolve("ckpt.safetensors");
        Path stale = Files.writeString(dir.resolve(".ckpt.safetensors.00ff00ff00ff00ff.tmp"), "killed mid-write");
        Path other = Files.writeString(dir.resolve(".other.safetensors.00ff.tmp"), "another target's");
        AtomicFiles.write(target, ch -> ch.write(java.nio.ByteBuffer.wrap(new byte[]{1})));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(other));
        assertEquals(1, Files.size(target));
    }

    @Test
    void ioExceptionMidwayLeavesOldFile() throws IOException {
        var e = assertThrows(IOException.class, () -> failingMidway(new IOException("disk on fire")).write(target));
        assertEquals("disk on fire", e.getMessage());
        assertUntouched();
    }

    @Test
    void uncheckedExceptionMidwayLeavesOldFile() throws IOException {
        var boom = new UncheckedIOException(new IOException("boom"));
        assertThrows(UncheckedIOException.class, () -> failingMidway(boom).write(target));
        assertUntouched();
    }

    @Test
    void sourceWritingTooFewBytesFails() throws IOException {
        SafeTensorsWriter w = new SafeTensorsWriter()
                .put("short", SafeDType.I64, new long[] {2}, out -> out.write(ByteBuffer.allocate(8)));
        var e = assertThrows(IOException.class, () -> w.write(target));
        assertTrue(e.getMessage().contains("'short'") && e.getMessage().contains("wrote 8 bytes"), e.getMessage());
        assertUntouched();
    }

    @Test
    void sourceWritingTooManyBytesFails() throws IOException {
        SafeTensorsWriter w = new SafeTensorsWriter()
                .put("long", SafeDType.U8, new long[] {2}, out -> out.write(ByteBuffer.allocate(3)));
        var e = assertThrows(IOException.class, () -> w.write(target));
        assertTrue(e.getMessage().contains("'long'") && e.getMessage().contains("more than the 2 bytes"), e.getMessage());
        assertUntouched();
    }

    @Test
    void successReplacesAndLeavesNoTemp() throws IOException {
        new SafeTensorsWriter().putF32("v", new long[] {1}, new float[] {5f}).write(target);
        assertEquals(List.of("ckpt.safetensors"), dirListing());
        try (SafeTensorsFile f = SafeTensorsFile.open(target)) {
            assertEquals(List.of("v"), f.names());
        }
    }

    @Test
    void replacedFileGetsNormalPermissionsNotTempFileOnes() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path reference = Files.createFile(dir.resolve("reference"));
        var expected = Files.getPosixFilePermissions(reference);
        Files.delete(reference);
        AtomicFiles.write(target, ch -> ch.write(ByteBuffer.wrap(new byte[] {1})));
        assertEquals(expected, Files.getPosixFilePermissions(target));
    }

    @Test
    void missingDirectoryFailsWithoutCreatingAnything() throws IOException {
        Path elsewhere = dir.resolve("no-such-dir").resolve("x.safetensors");
        assertThrows(IOException.class, () -> AtomicFiles.write(elsewhere, ch -> {}));
        assertUntouched();
    }

    @Test
    void textAndBytesReplaceTheWholeFile() throws IOException {
        Path f = dir.resolve("results.md");
        AtomicFiles.writeString(f, "a much longer first version \u00e9\u65e5\n");
        AtomicFiles.writeString(f, "z\u00e9\n");
        assertEquals("z\u00e9\n", Files.readString(f));
        byte[] b = new byte[70_000];
        new java.util.Random().nextBytes(b);
        AtomicFiles.write(f, b);
        assertArrayEquals(b, Files.readAllBytes(f));
    }
}

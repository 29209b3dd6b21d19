package dev.groundwork.models.checkpoint;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files that try to run code, or are broken, must be refused with a message and no side effect. */
class HostileCheckpointTest {
    /** The payloads in the fixtures would create this file if they were ever executed. */
    static final Path MARKER = Path.of("/tmp/gw_pickle_pwned_marker");

    @TempDir Path tmp;

    @BeforeEach
    void clearMarker() throws IOException { Files.deleteIfExists(MARKER); }

    private static CheckpointException refused(Path file) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpoint.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    @Test
    void osSystemFromPython() {
        // pickle spells os.system as posix.system on Linux.
        CheckpointException e = refused(Fixtures.file("evil_os_system.pt"));
        assertTrue(e.getMessage().contains("refused global 'posix.system'"), e.getMessage());
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
        assertInstanceOf(RefusedGlobalException.class, e.getCause());
        assertFalse(Files.exists(MARKER));
    }

    @Test
    void builtinsEval() {
        CheckpointException e = refused(Fixtures.file("evil_eval.pt"));
        assertTrue(e.getMessage().contains("refused global 'builtins.eval'"), e.getMessage());
        assertFalse(Files.exists(MARKER));
    }

    @Test
    void handBuiltGlobalOsSystemWithReduce() throws IOException {
        // PROTO 2; GLOBAL 'os system'; SHORT_BINUNICODE cmd; TUPLE1; REDUCE; STOP
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[]{(byte) 0x80, 2});
        p.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        byte[] cmd = ("touch " + MARKER).getBytes(StandardCharsets.US_ASCII);
        p.write(0x8c);
        p.write(cmd.length);
        p.write(cmd);
        p.write(new byte[]{(byte) 0x85, 'R', '.'});
        Path f = zip("archive/data.pkl", p.toByteArray());
        CheckpointException e = refused(f);
        assertTrue(e.getMessage().contains("refused global 'os.system'") && e.getMessage().contains("at byte offset 2"), e.getMessage());
        assertFalse(Files.exists(MARKER));
    }

    @Test
    void reduceOfANonCallableIsRefused() throws IOException {
        // GLOBAL 'torch FloatStorage' is allowed as data, but calling it is not.
        byte[] p = "\u0080\u0002ctorch\nFloatStorage\n)R.".getBytes(StandardCharsets.ISO_8859_1);
        CheckpointException e = refused(zip("archive/data.pkl", p));
        assertTrue(e.getMessage().contains("torch.FloatStorage") && e.getMessage().contains("not callable"), e.getMessage());
    }

    @Test
    void truncatedArchive() {
        CheckpointException e = refused(Fixtures.file("truncated.pt"));
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }

    @Test
    void zipWithoutDataPkl() {
        CheckpointException e = refused(Fixtures.file("no_data_pkl.pt"));
        assertTrue(e.getMessage().contains("no <archive>/data.pkl"), e.getMessage());
    }

    @Test
    void truncatedPickle() throws IOException {
        byte[] p = "\u0080\u0002}q\u0000(X\u0005\u0000\u0000\u0000ab".getBytes(StandardCharsets.ISO_8859_1);
        CheckpointException e = refused(zip("archive/data.pkl", p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingStorageEntry() throws IOException {
        Path whole = Fixtures.file("vgg16_tiny.pth");
        Path f = tmp.resolve("nostorage.pt");
        try (var in = new java.util.zip.ZipFile(whole.toFile()); var out = new ZipOutputStream(Files.newOutputStream(f))) {
            for (var en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.getName().endsWith("/data/0")) continue;
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(in.getInputStream(e).readAllBytes());
            }
        }
        TorchCheckpoint c = TorchCheckpoint.open(f); // the pickle alone is fine
        CheckpointException e = assertThrows(CheckpointException.class, c::tensors);
        assertTrue(e.getMessage().contains("vgg16_tiny/data/0' is missing"), e.getMessage());
    }

    @Test
    void notACheckpoint() throws IOException {
        Path f = tmp.resolve("notes.txt");
        Files.writeString(f, "hello");
        CheckpointException e = refused(f);
        assertTrue(e.getMessage().contains("not a PyTorch checkpoint"), e.getMessage());
    }

    private Path zip(String entry, byte[] data) throws IOException {
        Path f = Files.createTempFile(tmp, "hostile", ".pt");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(data);
        }
        return f;
    }
}

package dev.groundwork.models.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile PyTorch checkpoints of the reliability review, rebuilt by hand (most are a few hundred
 * bytes): each must be refused with {@link CheckpointException} naming the file and the rule, quickly
 * and in bounded memory, and nothing may be silently misread. The surefire run of this class has a
 * 1 GiB heap (see the models pom), so "bounded memory" is checked, not assumed.
 */
class HostileImportTest {
    /** Generous for CI's loaded 2-core machines; each case takes milliseconds here. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir Path tmp;

    private CheckpointException refused(Path file, String... rule) {
        CheckpointException e = assertTimeoutPreemptively(LIMIT,
                () -> assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(file).tensors()));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String r : rule) assertTrue(e.getMessage().contains(r), "expected '" + r + "' in: " + e.getMessage());
        return e;
    }

    private Path zip(String name, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        return PickleBytes.torchZip(tmp.resolve(name), pickle, storages);
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    @Test
    void aWellFormedHandBuiltFileReadsExactly() throws IOException {
        // The builder itself is right: a 2x2 transpose view of a 4-float storage reads as torch would.
        Path f = zip("ok.pt", PickleBytes.stateDict("w", "FloatStorage", "0", 4, 0, new long[]{2, 2}, new long[]{1, 2}),
                Map.of("0", floats(1, 2, 3, 4)));
        var t = TorchCheckpoint.load(f).get("w");
        assertArrayEquals(new float[]{1, 3, 2, 4}, t.toFloatArray());
    }

    @Test
    void storageElementCountWhoseByteSizeWraps() throws IOException {
        // 2^62 + 1 floats: numel * 4 wraps to 4 in 64-bit arithmetic, so 4 bytes of storage once looked enough.
        Path f = zip("wrap.pt", PickleBytes.stateDict("w", "FloatStorage", "0", (1L << 62) + 1, 0, new long[]{1}, new long[]{1}),
                Map.of("0", floats(7)));
        refused(f, "more bytes than 64 bits count");
    }

    @Test
    void strideThatOverflowsPastTheBoundsCheck() throws IOException {
        long stride = (1L << 62) + (1L << 29);
        Path f = zip("stride.pt", PickleBytes.stateDict("w", "FloatStorage", "0", 4, 0, new long[]{3}, new long[]{stride}),
                Map.of("0", floats(1, 2, 3, 4)));
        refused(f, "tensor 'w'", "reach past what 64 bits count");
    }

    @Test
    void viewOutsideItsStorage() throws IOException {
        Path f = zip("outside.pt", PickleBytes.stateDict("w", "FloatStorage", "0", 4, 3, new long[]{2}, new long[]{1}),
                Map.of("0", floats(1, 2, 3, 4)));
        refused(f, "tensor 'w' reads element 4 of a storage with only 4");
    }

    @Test
    void strideZeroExpansionIsNotMaterialised() throws IOException {
        // 2^28 floats (1 GiB) from a 16-byte storage.
        Path f = zip("expand.pt", PickleBytes.stateDict("w", "FloatStorage", "0", 4, 0, new long[]{1L << 28}, new long[]{0}),
                Map.of("0", floats(1, 2, 3, 4)));
        refused(f, "tensor 'w' expands a 16-byte storage", "refused");
    }

    @Test
    void anEmptyTensorWithAHugeDimension() throws IOException {
        Path f = zip("empty-huge.pt", PickleBytes.stateDict("w", "FloatStorage", "0", 0, 0, new long[]{0, 1L << 40}, new long[]{1, 1}),
                Map.of("0", new byte[0]));
        refused(f, "tensor 'w'", "too large for an engine tensor");
    }

    @Test
    void invalidUtf8InATensorName() throws IOException {
        byte[] bad = {'w', (byte) 0xC3, '(', 'x'};
        PickleBytes p = PickleBytes.proto2().emptyDict().utf8Bytes(bad);
        p.tensor(() -> p.storage("FloatStorage", "0", 1), 0, new long[]{1}, new long[]{1});
        refused(zip("utf8.pt", p.setItem().stop().bytes(), Map.of("0", floats(1))), "not valid UTF-8");
    }

    @Test
    void deeplyNestedListAsADictKey() throws IOException {
        // 100k nested lists: hashing or printing it recursively overflows the stack.
        PickleBytes q = PickleBytes.proto2().emptyDict().raw(nestedLists(100_000)).integer(1).setItem().stop();
        refused(zip("nested-key.pt", q.bytes(), Map.of()), "dict key is a list");
    }

    @Test
    void deeplyNestedListAsAPersistentId() throws IOException {
        PickleBytes q = PickleBytes.proto2().emptyDict().str("w").raw(nestedLists(100_000)).persistentId().setItem().stop();
        refused(zip("nested-pid.pt", q.bytes(), Map.of()), "unrecognised persistent id (a list of 1)");
    }

    @Test
    void billionLaughsTupleKey() throws IOException {
        // 64 levels, each a 2-tuple of the memoised level below: ~700 bytes standing for 2^64 leaves.
        PickleBytes p = PickleBytes.proto2().emptyDict().str("x").put(0).pop();
        for (int i = 1; i <= 64; i++) p.get(i - 1).get(i - 1).op(0x86).put(i).pop();
        p.get(64).integer(1).setItem().stop();
        byte[] b = p.bytes();
        assertTrue(b.length < 1000, "the file is " + b.length + " bytes");
        refused(zip("laughs.pt", b, Map.of()), "a dict key nests tuples more than 8 deep");
    }

    @Test
    void wideSharedTupleKey() throws IOException {
        // Depth 3, but each level a 40-tuple of the one below: 64,000 leaves from a few hundred bytes.
        PickleBytes p = PickleBytes.proto2().emptyDict().str("x").put(0).pop();
        for (int i = 1; i <= 3; i++) {
            p.mark();
            for (int j = 0; j < 40; j++) p.get(i - 1);
            p.tuple().put(i).pop();
        }
        p.get(3).integer(1).setItem().stop();
        refused(zip("wide.pt", p.bytes(), Map.of()), "a dict key has more than 256 values");
    }

    @Test
    void billionLaughsListValueIsNeverWalked() throws IOException {
        // The same DAG of lists as a plain value: read in linear time and reported as not a tensor.
        PickleBytes p = PickleBytes.proto2().emptyDict().str("w");
        p.tensor(() -> p.storage("FloatStorage", "0", 1), 0, new long[]{1}, new long[]{1});
        p.setItem().str("junk").emptyList().put(0).pop();
        for (int i = 1; i <= 64; i++) p.emptyList().get(i - 1).append().get(i - 1).append().put(i).pop();
        p.get(64).setItem().stop();
        TorchCheckpoint c = assertTimeoutPreemptively(LIMIT, () -> TorchCheckpoint.open(zip("laughs-value.pt", p.bytes(), Map.of("0", floats(5)))));
        assertEquals(5f, c.tensors().get("w").item());
        assertTrue(c.skipped().getFirst().startsWith("junk (a list of 2)"), c.skipped().toString());
    }

    @Test
    void tooManyValues() throws IOException {
        PickleBytes p = PickleBytes.proto2().emptyList();
        for (long i = 0; i <= Unpickler.MAX_VALUES; i++) p.emptyList().append();
        refused(zip("many.pt", p.stop().bytes(), Map.of()), "creates more than");
    }

    @Test
    void centralDirectoryUnderstatesTheInflatedSize() throws IOException {
        // A deflated data.pkl that the central directory claims is 16 bytes but inflates to 1 MiB.
        byte[] big = new byte[1 << 20];
        Path f = tmp.resolve("liar.pt");
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(big);
        }
        patchCentralSize(f, "archive/data.pkl", 16);
        refused(f, "inflates past its declared 16 bytes");
    }

    @Test
    void dataPklOverTheLimitIsRefusedBeforeInflating() throws IOException {
        // The large-file generator at 80 MiB (a real attack used 1.5 GiB): refused from its declared size.
        Path f = HostileFiles.deflatedZeros(tmp.resolve("huge.pt"), "archive/data.pkl", 80L << 20);
        refused(f, "declares 83886080 bytes, over the limit of 67108864");
    }

    @Test
    void legacyCountWhoseEndOverflows() throws IOException {
        // Storage '0' claims 2^61 floats: at + 8 + n * 4 wraps, which once made storage '1' read storage '0's bytes.
        PickleBytes root = PickleBytes.proto2().emptyDict().str("a");
        root.tensor(() -> root.legacyStorage("FloatStorage", "0", 2, null), 0, new long[]{2}, new long[]{1});
        root.setItem().str("b");
        root.tensor(() -> root.legacyStorage("FloatStorage", "1", 2, null), 0, new long[]{2}, new long[]{1});
        root.setItem().stop();
        byte[] tail = concat(PickleBytes.le64(1L << 61), floats(1, 2), PickleBytes.le64(2), floats(3, 4));
        Path f = PickleBytes.legacy(tmp.resolve("legacy-wrap.pt"), root.bytes(), new String[]{"0", "1"}, tail);
        refused(f, "storage '0' claims 2305843009213693952 elements");
    }

    @Test
    void legacyViewWithANegativeOffsetWouldReadTheCountField() throws IOException {
        PickleBytes root = PickleBytes.proto2().emptyDict().str("a");
        root.tensor(() -> root.legacyStorage("FloatStorage", "0", 4, new long[]{-4, 2}), 0, new long[]{2}, new long[]{1});
        root.setItem().stop();
        Path f = PickleBytes.legacy(tmp.resolve("legacy-neg.pt"), root.bytes(), new String[]{"0"}, concat(PickleBytes.le64(4), floats(1, 2, 3, 4)));
        refused(f, "malformed storage view of '0'");
    }

    @Test
    void legacyViewPastItsStorage() throws IOException {
        // An offset of 2^31 elements once wrapped to the storage's start through an int cast.
        PickleBytes root = PickleBytes.proto2().emptyDict().str("a");
        root.tensor(() -> root.legacyStorage("FloatStorage", "0", 4, new long[]{1L << 31, 2}), 0, new long[]{2}, new long[]{1});
        root.setItem().stop();
        Path f = PickleBytes.legacy(tmp.resolve("legacy-far.pt"), root.bytes(), new String[]{"0"}, concat(PickleBytes.le64(4), floats(1, 2, 3, 4)));
        refused(f, "lies outside its 16-byte storage");
    }

    @Test
    void legacyTruncatedTail() throws IOException {
        PickleBytes root = PickleBytes.proto2().emptyDict().str("a");
        root.tensor(() -> root.legacyStorage("FloatStorage", "0", 4, null), 0, new long[]{4}, new long[]{1});
        root.setItem().stop();
        Path f = PickleBytes.legacy(tmp.resolve("legacy-cut.pt"), root.bytes(), new String[]{"0"}, concat(PickleBytes.le64(4), floats(1, 2)));
        refused(f, "file is truncated: storage '0' needs 16 bytes");
    }

    @Test
    void legacyWellFormedViewReads() throws IOException {
        PickleBytes root = PickleBytes.proto2().emptyDict().str("a");
        root.tensor(() -> root.legacyStorage("FloatStorage", "0", 4, new long[]{1, 2}), 0, new long[]{2}, new long[]{1});
        root.setItem().stop();
        Path f = PickleBytes.legacy(tmp.resolve("legacy-ok.pt"), root.bytes(), new String[]{"0"}, concat(PickleBytes.le64(4), floats(1, 2, 3, 4)));
        assertArrayEquals(new float[]{2, 3}, TorchCheckpoint.load(f).get("a").toFloatArray());
    }

    /** ( ( ( ... ) ) ): n lists, each appended into the one before, built without recursion. */
    static byte[] nestedLists(int n) {
        PickleBytes p = new PickleBytes();
        for (int i = 0; i < n; i++) p.emptyList();
        for (int i = 0; i < n - 1; i++) p.append();
        return p.bytes();
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    /** Rewrites the uncompressed size an entry's central-directory record declares. */
    static void patchCentralSize(Path zip, String entry, int size) throws IOException {
        byte[] b = Files.readAllBytes(zip);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = entry.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i + 46 <= b.length; i++) {
            if (buf.getInt(i) != 0x02014b50 || (buf.getShort(i + 28) & 0xFFFF) != name.length) continue;
            if (!java.util.Arrays.equals(b, i + 46, i + 46 + name.length, name, 0, name.length)) continue;
            buf.putInt(i + 24, size);
            Files.write(zip, b);
            return;
        }
        throw new IllegalStateException("no central directory record for " + entry);
    }
}

package dev.groundwork.models.interbert.data;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.checkpoint.DataPickle;
import dev.groundwork.models.checkpoint.NumpyArray;
import dev.groundwork.models.checkpoint.RefusedGlobalException;
import dev.groundwork.models.data.BadRecordPolicy;
import dev.groundwork.models.data.BadRecords;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad input in InterBERT's formats: each is the project's own {@link DataException} naming the file
 * and the key, never a native fault or a stack trace from a library; and real files' variations read.
 */
class HostileDataTest {
    @TempDir Path tmp;

    private static DataException refused(Executable e, String... parts) {
        DataException x = assertThrows(DataException.class, e::run);
        for (String p : parts) assertTrue(x.getMessage().contains(p), "'" + p + "' not in: " + x.getMessage());
        return x;
    }

    interface Executable { void run() throws Exception; }

    @Test
    void truncatedWrongMagicAndNonLmdbFilesAreRefusedBeforeLiblmdbMapsThem() throws Exception {
        Path src = InterBertFixtures.dir().resolve("concap/validation_all.lmdb");
        Path cut = tmp.resolve("cut.lmdb");
        Files.copy(src, cut);
        try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) { f.setLength(f.length() / 2); }
        refused(() -> ConcapLmdb.open(cut, 2048, 1601), cut.toString(), "truncated");
        Path two = tmp.resolve("two-pages.lmdb");
        Files.write(two, Arrays.copyOf(Files.readAllBytes(src), 6000));
        refused(() -> LmdbStore.open(two), two.toString(), "truncated");
        Path magic = tmp.resolve("magic.lmdb");
        byte[] b = Files.readAllBytes(src);
        b[16] ^= 0x55;
        Files.write(magic, b);
        refused(() -> LmdbStore.open(magic), magic.toString(), "not an LMDB file");
        Path text = tmp.resolve("notes.lmdb");
        Files.writeString(text, "just some text, not a database\n".repeat(400));
        refused(() -> LmdbStore.open(text), text.toString(), "not an LMDB file");
        Path empty = tmp.resolve("empty.lmdb");
        Files.write(empty, new byte[0]);
        refused(() -> LmdbStore.open(empty), "too short");
        Path dir = Files.createDirectories(tmp.resolve("dir.lmdb"));
        refused(() -> LmdbStore.open(dir), "without data.mdb");
        assertFalse(Files.list(tmp).anyMatch(p -> p.getFileName().toString().endsWith("-lock")), "no lock file is written");
    }

    private Path concap(String name, Map<String, byte[]> records) throws Exception {
        Path p = tmp.resolve(name);
        try (LmdbWriter w = new LmdbWriter(p, false, 1 << 24)) {
            List<Object> keys = new ArrayList<>();
            for (var e : records.entrySet()) { w.put(e.getKey(), e.getValue()); keys.add(e.getKey().getBytes(StandardCharsets.US_ASCII)); }
            w.put(ConcapLmdb.KEYS, MsgpackNumpyWriter.dumps(keys));
        }
        return p;
    }

    private static byte[] record(int n, int rows, int f, int c) {
        return MsgpackNumpyWriter.dumps(List.of(new PickleWriter.Array(new float[rows * f], rows, f), new PickleWriter.Array(new float[rows * c], rows, c),
                new PickleWriter.Array(new float[rows * 4], rows, 4), n, 100, 200, "1234", "a caption"));
    }

    @Test
    void badRecordsNameFileAndKeyAndFollowTheBadRecordPolicy() throws Exception {
        Map<String, byte[]> recs = new LinkedHashMap<>();
        recs.put("00000000", record(2, 2, 8, 3));
        recs.put("00000001", new byte[]{(byte) 0x93, 1, 2});                   // an array of 3 that holds 2
        recs.put("00000002", record(5, 4, 8, 3));                             // num_boxes disagrees with the arrays
        recs.put("00000003", new byte[]{(byte) 0xc7, 1, 5, 0});               // an ext type
        recs.put("00000004", record(40, 40, 8, 3));                           // more than 36 regions
        recs.put("00000005", "not msgpack at all".getBytes(StandardCharsets.UTF_8));
        Path p = concap("bad.lmdb", recs);
        try (ConcapLmdb db = ConcapLmdb.open(p, 8, 3)) {
            assertEquals(2, db.record(0).numBoxes());
            refused(() -> db.record(1), p.toString(), "key '00000001'", "claims 3 items, more than its bytes hold");
            refused(() -> db.record(2), "key '00000002'", "num_boxes is 5 but features has 4 rows");
            refused(() -> db.record(3), "key '00000003'", "extension");
            refused(() -> db.record(5), "key '00000005'");
            Path caps = tmp.resolve("caps.json");
            Files.writeString(caps, "{\"1234\": \"a caption\", \"5670\": \"another\"}");
            ConcapPretraining ds = new ConcapPretraining(db, caps, InterBertFixtures.tokenizer(), ConcapPretraining.Options.DEFAULT);
            refused(() -> ds.check(4), "key '00000004'", "40 regions, more than the 36");
            BadRecords.Found all = assertThrows(BadRecords.Found.class, () -> BadRecords.screen(ds, p, BadRecordPolicy.FAIL, null, s -> {}));
            assertEquals(5, all.records().size());
            List<String> log = new ArrayList<>();
            Dataset<PretrainingItem> good = BadRecords.screen(ds, p, BadRecordPolicy.SKIP, tmp.resolve("bad.txt"), log::add);
            assertEquals(1, good.size());
            assertTrue(log.getFirst().contains("skipping 5 of 6"), log.getFirst());
            assertEquals(37, good.get(0, new Generator(1)).regions());
        }
    }

    @Test
    void featureRecordsWithForbiddenGlobalsOrWrongSizesAreRefusedNamingTheKey() throws Exception {
        Path store = tmp.resolve("f.lmdb");
        Map<String, Object> ok = featureRecord(2, 2, 8, 32);
        byte[] evil = "\u0080\u0002cos\nsystem\nX\u0002\u0000\u0000\u0000ls\u0085R.".getBytes(StandardCharsets.ISO_8859_1);
        try (LmdbWriter w = new LmdbWriter(store, true, 1 << 24)) {
            w.put("1", PickleWriter.dumps(ok, 3));
            w.put("2", PickleWriter.dumps(featureRecord(3, 2, 8, 48), 3));
            w.put("3", PickleWriter.dumps(featureRecord(2, 2, 8, 24), 2));
            w.put("4", evil);
            w.put(FeatureLmdb.KEYS, PickleWriter.dumps(List.of("1".getBytes(), "2".getBytes(), "3".getBytes(), "4".getBytes()), 3));
        }
        try (FeatureLmdb f = FeatureLmdb.open(store, 8)) {
            assertEquals(2, f.image("1").numBoxes());
            refused(() -> f.image("2"), store.toString(), "key '2'", "num_boxes is 3 but features has 64 bytes");
            refused(() -> f.image("3"), "key '3'", "boxes has 24 bytes, want 32");
            DataException x = refused(() -> f.image("4"), "key '4'", "refused global 'os.system'", "byte offset 2");
            assertInstanceOf(RefusedGlobalException.class, x.getCause());
            refused(() -> f.image("99"), "key '99'", "missing from the feature store");
            refused(() -> f.requireId("77", 3, tmp.resolve("ann.jsonline")), "dataset index 3", "ann.jsonline", "image id 77 is missing from the feature store");
        }
    }

    private static Map<String, Object> featureRecord(int n, int rows, int f, int boxBytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image_id", "x".getBytes());
        m.put("image_h", 100);
        m.put("image_w", 200);
        m.put("num_boxes", n);
        m.put("boxes", Base64.getEncoder().encodeToString(new byte[boxBytes]));
        m.put("features", Base64.getEncoder().encodeToString(new byte[rows * f * 4]));
        return m;
    }

    /**
     * Variants real files come in, written by Python 3 / numpy 1.24 (models/src/test/resources/interbert):
     * pickle protocols 2, 4 and 5; num_boxes and image_id as numpy int64 scalars, image_w a numpy int32,
     * image_h a float, base64 as bytes; a hard-negative pool in Fortran order and, at protocol 5, through
     * numpy's {@code _frombuffer}. Made by:
     * {@code rec = {'image_id': np.int64(17), 'image_h': 480.0, 'image_w': np.int32(640), 'num_boxes': np.int64(2),
     * 'boxes': b64encode(b), 'features': b64encode(f), 'cls_prob': np.ones((2,3), np.float32)}} with
     * {@code f = arange(16, float32).reshape(2,8)/4}, {@code b = [[1,2,30,40],[5,6,50,60]]}, and
     * {@code {'train_image_list': array([11,22,33]), 'train_hard_pool': asfortranarray([[0,1],[1,2],[2,0]], int32)}}.
     */
    @Test
    void picklesOfEveryProtocolAndNumpyScalarsRead() throws Exception {
        Path res = Path.of(getClass().getResource("/interbert/features_record_p2.pkl").toURI()).getParent();
        for (int p : new int[]{2, 4, 5}) {
            ImageFeatures im = FeatureLmdb.parse(res, "17", Files.readAllBytes(res.resolve("features_record_p" + p + ".pkl")), 8);
            assertEquals("17", im.imageId(), "protocol " + p);
            assertEquals(2, im.numBoxes());
            assertEquals(480, im.height());
            assertEquals(640, im.width());
            assertEquals(15 / 4f, im.features()[15]);
            assertEquals(60f, im.boxes()[7]);
            assertEquals((16 * 15 / 2) / 4.0, im.featSum(), 1e-9);
        }
        for (int p : new int[]{2, 5}) {
            HardNegatives h = HardNegatives.read(res.resolve("hard_negative_p" + p + ".pkl"));
            assertArrayEquals(new long[]{11, 22, 33}, h.imageIds());
            assertArrayEquals(new int[]{1, 2}, h.row(1), "Fortran order read as rows");
        }
        Object v = DataPickle.load(PickleWriter.dumps(Map.of("a", new PickleWriter.Array(new float[]{1, 2, 3, 4, 5, 6}, 2, 3)), 2));
        NumpyArray a = (NumpyArray) ((Map<?, ?>) v).get("a");
        assertArrayEquals(new int[]{2, 3}, a.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, a.floats());
    }

    @Test
    void writersReadBack() throws Exception {
        Object m = MsgpackNumpy.decode(MsgpackNumpyWriter.dumps(List.of(new PickleWriter.Array(new float[]{1.5f, -2}, 1, 2), 7, "s", new byte[]{1}, 2.5, true)));
        List<?> l = (List<?>) m;
        assertArrayEquals(new float[]{1.5f, -2}, ((NumpyArray) l.get(0)).floats());
        assertEquals(List.of(7L, "s"), l.subList(1, 3));
        assertEquals(2.5, l.get(4));
        Object p = DataPickle.load(PickleWriter.dumps(Map.of("k", List.of(1, -70000, 1L << 40, "é", new byte[]{0, (byte) 255}, 0.25, false)), 2));
        List<?> q = (List<?>) ((Map<?, ?>) p).get("k");
        assertEquals(List.of(1L, -70000L, 1L << 40, "é"), q.subList(0, 4));
        assertArrayEquals(new byte[]{0, (byte) 255}, (byte[]) q.get(4));
        assertEquals(0.25, q.get(5));
    }
}

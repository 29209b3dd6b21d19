package dev.groundwork.models.interbert.data;

import dev.groundwork.models.checkpoint.NumpyArray;
import dev.groundwork.models.data.DataException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Conceptual-Captions pretraining LMDB as tensorpack 0.9.4's {@code LMDBSerializer} wrote it
 * (spec 3.1): keys {@code 00000000}... and {@code __keys__}, the msgpack list of those keys, in the
 * order the dataflow yields them; each value msgpack (msgpack-numpy arrays) of the 8-element list
 * [features f32[n,F], cls_prob f32[n,C], boxes f32[n,4], num_boxes, height, width, image_id, caption].
 * Without {@code __keys__} the records are taken in key order. Each record is decoded and checked on
 * demand: a malformed one is a {@link DataException} naming the file, the key and the rule.
 */
public final class ConcapLmdb implements AutoCloseable {
    public static final String KEYS = "__keys__";

    private final LmdbStore store;
    private final List<String> keys;
    private final int featureSize, classes;

    private ConcapLmdb(LmdbStore store, List<String> keys, int featureSize, int classes) {
        this.store = store;
        this.keys = List.copyOf(keys);
        this.featureSize = featureSize;
        this.classes = classes;
    }

    /**
     * Opens {@code path} (file or directory form); F and C are what each record must have (2048, 1601 for
     * the real data); 0 takes them from the first record (for inspection).
     */
    public static ConcapLmdb open(Path path, int featureSize, int classes) throws DataException {
        LmdbStore s = LmdbStore.open(path);
        try {
            List<String> keys = keys(s);
            if ((featureSize <= 0 || classes <= 0) && !keys.isEmpty()) {
                byte[] raw = s.get(keys.getFirst());
                Object v = null;
                try {
                    v = raw == null ? null : MsgpackNumpy.decode(raw);
                } catch (IOException e) {
                    // the record's own read reports it
                }
                if (v instanceof List<?> f && f.size() == 8 && f.get(0) instanceof NumpyArray a && f.get(1) instanceof NumpyArray b && a.rank() == 2 && b.rank() == 2) {
                    featureSize = featureSize > 0 ? featureSize : a.shape()[1];
                    classes = classes > 0 ? classes : b.shape()[1];
                }
            }
            return new ConcapLmdb(s, keys, featureSize, classes);
        } catch (DataException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static List<String> keys(LmdbStore s) throws DataException {
        byte[] raw = s.get(KEYS);
        if (raw == null) return s.keys().stream().filter(k -> !k.equals(KEYS)).toList();
        Object v;
        try {
            v = MsgpackNumpy.decode(raw);
        } catch (IOException e) {
            throw new DataException(-1, s.path(), "key '" + KEYS + "': " + e.getMessage(), e);
        }
        if (!(v instanceof List<?> list)) throw new DataException(-1, s.path(), "key '" + KEYS + "' holds " + MsgpackNumpy.describe(v) + ", not a list of keys");
        List<String> out = new ArrayList<>(list.size());
        for (Object k : list) {
            String key = k instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : k instanceof String str ? str : null;
            if (key == null) throw new DataException(-1, s.path(), "key '" + KEYS + "' lists a " + MsgpackNumpy.describe(k) + ", not a key");
            out.add(key);
        }
        return out;
    }

    public Path path() { return store.path(); }

    public int size() { return keys.size(); }

    public List<String> keys() { return keys; }

    public int featureSize() { return featureSize; }

    public int classes() { return classes; }

    /** Record {@code index} (in {@code __keys__} order), decoded and checked. */
    public ConcapRecord record(int index) throws DataException {
        String key = keys.get(index);
        byte[] raw = store.get(key);
        if (raw == null) throw bad(index, key, "is listed in " + KEYS + " but not in the store");
        Object v;
        try {
            v = MsgpackNumpy.decode(raw);
        } catch (IOException e) {
            throw bad(index, key, e.getMessage());
        }
        if (!(v instanceof List<?> f) || f.size() != 8)
            throw bad(index, key, "is " + (v instanceof List<?> l ? "a list of " + l.size() : MsgpackNumpy.describe(v)) + ", not the 8-element list [features, cls_prob, boxes, num_boxes, height, width, image_id, caption]");
        Long n = Fields.integer(f.get(3));
        if (n == null || n < 0) throw bad(index, key, "num_boxes is " + MsgpackNumpy.describe(f.get(3)) + ", not a count");
        int boxes = (int) Math.min(n, Integer.MAX_VALUE);
        float[] feat = matrix(f.get(0), "features", boxes, featureSize, index, key);
        float[] cls = matrix(f.get(1), "cls_prob", boxes, classes, index, key);
        float[] box = matrix(f.get(2), "boxes", boxes, 4, index, key);
        Double h = Fields.number(f.get(4)), w = Fields.number(f.get(5));
        if (h == null || w == null || !(h > 0) || !(w > 0) || h.isInfinite() || w.isInfinite())
            throw bad(index, key, "image height and width must be positive numbers, got " + f.get(4) + " and " + f.get(5));
        String id = Fields.id(f.get(6)), caption = Fields.text(f.get(7));
        if (id == null || id.isEmpty()) throw bad(index, key, "image_id is " + MsgpackNumpy.describe(f.get(6)) + ", not an id");
        if (caption == null) throw bad(index, key, "caption is " + MsgpackNumpy.describe(f.get(7)) + ", not text");
        return new ConcapRecord(key, id, boxes, h, w, caption, featureSize, classes, feat, cls, box);
    }

    /** A float32 [n, cols] array; n must be num_boxes (the "num_boxes disagrees with its features" check). */
    private float[] matrix(Object v, String what, int n, int cols, int index, String key) throws DataException {
        if (!(v instanceof NumpyArray a)) throw bad(index, key, what + " is " + MsgpackNumpy.describe(v) + ", not a numpy array");
        if (!a.dtype().equals("float32")) throw bad(index, key, what + " is " + a.dtype() + ", not float32");
        int[] s = a.shape();
        if (s.length != 2 || s[1] != cols) throw bad(index, key, what + " has shape " + java.util.Arrays.toString(s) + ", want [n, " + cols + "]");
        if (s[0] != n) throw bad(index, key, "num_boxes is " + n + " but " + what + " has " + s[0] + " rows");
        return a.floats();
    }

    private DataException bad(int index, String key, String why) {
        return new DataException(index, store.path(), "key '" + key + "': " + why);
    }

    @Override
    public void close() { store.close(); }
}

package dev.groundwork.models.interbert.data;

import dev.groundwork.models.checkpoint.DataPickle;
import dev.groundwork.models.checkpoint.PickleException;
import dev.groundwork.models.data.DataException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A ViLBERT region-feature LMDB (spec 3.2), the image side of Flickr30K and VCR: key {@code keys} holds
 * the pickled list of image ids (bytes or str); key {@code <image id>} a pickled dict with
 * {@code image_id, image_h, image_w, num_boxes} and base64 float32 {@code boxes} [n, 4] and
 * {@code features} [n, F]; other entries (cls_prob ...) are ignored. Pickles go through the project's
 * one restricted unpickler with the numpy allow-list, so sizes may be numpy scalars; base64 may be str
 * or bytes; heights ints or floats ({@code int()}-truncated, as the original reader does).
 */
public final class FeatureLmdb implements AutoCloseable {
    public static final String KEYS = "keys";

    private final LmdbStore store;
    private final List<String> ids;
    private final Set<String> idSet;
    private final int featureSize;

    private FeatureLmdb(LmdbStore store, List<String> ids, int featureSize) {
        this.store = store;
        this.ids = List.copyOf(ids);
        this.idSet = new LinkedHashSet<>(ids);
        this.featureSize = featureSize;
    }

    /** Opens a store whose features are F wide; F = 0 takes it from the first image (for inspection). */
    public static FeatureLmdb open(Path path, int featureSize) throws DataException {
        LmdbStore s = LmdbStore.open(path);
        try {
            List<String> ids = ids(s);
            if (featureSize <= 0 && !ids.isEmpty()) featureSize = inferFeatureSize(s, ids.getFirst());
            return new FeatureLmdb(s, ids, featureSize);
        } catch (DataException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static List<String> ids(LmdbStore s) throws DataException {
        byte[] raw = s.get(KEYS);
        if (raw == null) throw new DataException(-1, s.path(), "has no '" + KEYS + "' record (not a ViLBERT feature store)");
        Object v;
        try {
            v = DataPickle.load(raw);
        } catch (PickleException e) {
            throw new DataException(-1, s.path(), "key '" + KEYS + "': " + e.getMessage(), e);
        }
        if (!(v instanceof List<?> list)) throw new DataException(-1, s.path(), "key '" + KEYS + "' holds " + MsgpackNumpy.describe(v) + ", not a list of ids");
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            String id = Fields.id(o);
            if (id == null) throw new DataException(-1, s.path(), "key '" + KEYS + "' lists a " + MsgpackNumpy.describe(o) + ", not an image id");
            out.add(id);
        }
        return out;
    }

    /** features bytes / (4 · num_boxes) of one image; 1 when that cannot be told (its own read then reports why). */
    private static int inferFeatureSize(LmdbStore s, String id) throws DataException {
        byte[] raw = s.get(id);
        try {
            if (raw != null && DataPickle.load(raw) instanceof Map<?, ?> m) {
                Long n = Fields.integer(m.get("num_boxes"));
                byte[] f = Fields.base64(m.get("features"));
                if (n != null && n > 0 && f != null && f.length % (4 * n) == 0) return (int) (f.length / (4 * n));
            }
        } catch (PickleException e) {
            // the record's own read reports it
        }
        return 1;
    }

    public Path path() { return store.path(); }

    /** Image ids in the order of the {@code keys} record. */
    public List<String> ids() { return ids; }

    public boolean contains(String id) { return idSet.contains(id); }

    public int featureSize() { return featureSize; }

    /** The image {@code id} as stored; an id missing from the store is an error naming it. */
    public ImageFeatures image(String id) throws DataException {
        byte[] raw = idSet.contains(id) ? store.get(id) : null;
        if (raw == null) throw bad(id, "image id is missing from the feature store" + (idSet.contains(id) ? " (listed in 'keys' but absent)" : ""));
        return parse(store.path(), id, raw, featureSize);
    }

    /** One image record's pickle, checked: the numbers, both base64 fields, and their sizes against num_boxes. */
    static ImageFeatures parse(Path path, String id, byte[] raw, int featureSize) throws DataException {
        Object v;
        try {
            v = DataPickle.load(raw);
        } catch (PickleException e) {
            throw new DataException(-1, path, "key '" + id + "': " + e.getMessage(), e);
        }
        if (!(v instanceof Map<?, ?> m)) throw bad(path, id, "holds " + MsgpackNumpy.describe(v) + ", not a dict");
        Long n = Fields.integer(m.get("num_boxes"));
        Double h = Fields.number(m.get("image_h")), w = Fields.number(m.get("image_w"));
        if (n == null || n < 0) throw bad(path, id, "num_boxes is " + MsgpackNumpy.describe(m.get("num_boxes")) + ", not a count");
        if (h == null || w == null || !(h >= 1) || !(w >= 1) || h > Integer.MAX_VALUE || w > Integer.MAX_VALUE)
            throw bad(path, id, "image_h and image_w must be numbers of at least 1, got " + m.get("image_h") + " and " + m.get("image_w"));
        byte[] fb = Fields.base64(m.get("features")), bb = Fields.base64(m.get("boxes"));
        if (fb == null) throw bad(path, id, "features is not base64 text");
        if (bb == null) throw bad(path, id, "boxes is not base64 text");
        if (n > Integer.MAX_VALUE / 4 || fb.length != n * 4L * featureSize)
            throw bad(path, id, "num_boxes is " + n + " but features has " + fb.length + " bytes (" + n + " × " + featureSize + " float32 would be " + n * 4L * featureSize + ")");
        if (bb.length != n * 16L) throw bad(path, id, "num_boxes is " + n + " but boxes has " + bb.length + " bytes, want " + n * 16L);
        String imageId = m.containsKey("image_id") ? Fields.id(m.get("image_id")) : id;
        return new ImageFeatures(id, imageId, (int) (double) h, (int) (double) w, (int) (long) n, featureSize, Fields.float32(fb), Fields.float32(bb));
    }

    /** Checks that {@code id} is in the store without decoding its record. */
    public void requireId(String id, int index, Path annotations) throws DataException {
        if (!idSet.contains(id)) throw new DataException(index, annotations, "image id " + id + " is missing from the feature store " + store.path());
    }

    private DataException bad(String id, String why) { return bad(store.path(), id, why); }

    private static DataException bad(Path path, String id, String why) { return new DataException(-1, path, "key '" + id + "': " + why); }

    @Override
    public void close() { store.close(); }
}

package dev.groundwork.models.interbert.data;

import dev.groundwork.models.checkpoint.DataPickle;
import dev.groundwork.models.checkpoint.NumpyArray;
import dev.groundwork.models.checkpoint.PickleException;
import dev.groundwork.models.data.DataException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Flickr30K's {@code hard_negative.pkl} (spec 3.3): a pickled dict with {@code train_image_list} (the
 * train image ids, which define pool indices; a numpy array or a list) and {@code train_hard_pool}
 * ([N, K] indices into that list; row i = images similar to image i, column 0 the image itself). Read
 * through the restricted unpickler's numpy profile; every pool index is checked to be in range.
 */
public record HardNegatives(Path file, long[] imageIds, int poolWidth, int[] pool) {
    /** Pickles larger than this are refused before reading (the real one is about 1 MB). */
    static final long MAX_BYTES = 1L << 30;

    public static HardNegatives read(Path file) throws DataException {
        byte[] raw;
        try {
            if (Files.size(file) > MAX_BYTES) throw new DataException(-1, file, "is larger than " + MAX_BYTES + " bytes");
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(-1, file, "no such file", e);
        } catch (IOException e) {
            throw new DataException(-1, file, "cannot read: " + e.getMessage(), e);
        }
        Object v;
        try {
            v = DataPickle.load(raw);
        } catch (PickleException e) {
            throw new DataException(-1, file, e.getMessage(), e);
        }
        if (!(v instanceof Map<?, ?> m)) throw new DataException(-1, file, "holds " + MsgpackNumpy.describe(v) + ", not a dict");
        long[] ids = ids(m.get("train_image_list"), file);
        if (!(m.get("train_hard_pool") instanceof NumpyArray a) || a.rank() != 2 || a.isFloat())
            throw new DataException(-1, file, "'train_hard_pool' is missing or not a 2-D integer array");
        int[] s = a.shape();
        if (s[0] != ids.length) throw new DataException(-1, file, "train_hard_pool has " + s[0] + " rows for " + ids.length + " train images");
        if (s[1] < 2) throw new DataException(-1, file, "train_hard_pool has " + s[1] + " columns; hard negatives are drawn from columns 1..K-1");
        long[] l = a.longs();
        int[] pool = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 0 || l[i] >= ids.length)
                throw new DataException(-1, file, "train_hard_pool[" + i / s[1] + "][" + i % s[1] + "] = " + l[i] + " is outside 0.." + (ids.length - 1));
            pool[i] = (int) l[i];
        }
        return new HardNegatives(file, ids, s[1], pool);
    }

    private static long[] ids(Object v, Path file) throws DataException {
        if (v instanceof NumpyArray a && a.rank() == 1 && !a.isFloat()) return a.longs();
        if (v instanceof List<?> list) {
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                String id = Fields.id(list.get(i));
                try {
                    out[i] = Long.parseLong(id);
                } catch (NumberFormatException | NullPointerException e) {
                    throw new DataException(-1, file, "train_image_list[" + i + "] is not an image id");
                }
            }
            return out;
        }
        throw new DataException(-1, file, "'train_image_list' is missing or not a list of image ids");
    }

    public int images() { return imageIds.length; }

    /** Pool row {@code i}: indices into {@link #imageIds()}. */
    public int[] row(int i) { return java.util.Arrays.copyOfRange(pool, i * poolWidth, (i + 1) * poolWidth); }
}

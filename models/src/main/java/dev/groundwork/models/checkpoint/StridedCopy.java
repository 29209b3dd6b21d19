package dev.groundwork.models.checkpoint;

import java.nio.ByteBuffer;

/**
 * Turns a pickled tensor (a view into a storage: element offset, size, stride) into contiguous
 * bytes. Views matter because torch.save stores the whole storage once and every tensor sharing it
 * (a transpose, a slice, tied weights) as offset and strides into it.
 */
final class StridedCopy {
    private StridedCopy() {}

    /**
     * How many bytes a view may make beyond its storage's own size: legal views (stride 0 expands)
     * could otherwise turn a 16-byte storage into a gigabyte copy. Real state dicts store views that
     * are subsets of their storage, so this only refuses expansions.
     */
    static final long MAX_EXPANSION_BYTES = 16L << 20;

    /** Checks the view lies inside the storage, then gathers its elements in row-major order. */
    static RawTensor gather(String name, Pickled.TensorRef t, ByteBuffer storage) {
        int es = t.storage().type().dtype.byteSize();
        long storageNumel = storage.limit() / es;
        long numel = 1, last = t.offset();
        try {
            for (int d = 0; d < t.size().length; d++) {
                if (t.size()[d] < 0 || t.stride()[d] < 0)
                    throw new IllegalArgumentException("tensor '" + name + "' has a negative size or stride");
                numel = Math.multiplyExact(numel, t.size()[d]);
                if (t.size()[d] > 0) last = Math.addExact(last, Math.multiplyExact(t.size()[d] - 1, t.stride()[d]));
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "': size " + java.util.Arrays.toString(t.size()) + " and stride "
                    + java.util.Arrays.toString(t.stride()) + " reach past what 64 bits count");
        }
        if (t.offset() < 0) throw new IllegalArgumentException("tensor '" + name + "' has a negative storage offset " + t.offset());
        if (numel > (Integer.MAX_VALUE - 8) / es)
            throw new IllegalArgumentException("tensor '" + name + "' has " + numel + " elements, more than one array holds");
        if (numel > 0 && last >= storageNumel)
            throw new IllegalArgumentException("tensor '" + name + "' reads element " + last + " of a storage with only " + storageNumel);
        if (numel * es > storage.limit() + MAX_EXPANSION_BYTES)
            throw new IllegalArgumentException("tensor '" + name + "' expands a " + storage.limit() + "-byte storage to " + numel * es
                    + " bytes (stride 0); expansions over " + MAX_EXPANSION_BYTES + " bytes beyond the storage are refused");
        byte[] out = new byte[(int) (numel * es)];
        if (isRowMajor(t)) { // the common case: one bulk copy
            storage.get((int) (t.offset() * es), out, 0, out.length);
            return new RawTensor(t.storage().type().dtype, t.size().clone(), out);
        }
        int rank = t.size().length;
        long[] idx = new long[rank];
        long src = t.offset();
        for (int i = 0; i < numel; i++) {
            storage.get((int) (src * es), out, i * es, es);
            // Odometer increment over the index, keeping the source element position in step.
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < t.size()[d]) { src += t.stride()[d]; break; }
                src -= (t.size()[d] - 1) * t.stride()[d];
                idx[d] = 0;
            }
        }
        return new RawTensor(t.storage().type().dtype, t.size().clone(), out);
    }

    private static boolean isRowMajor(Pickled.TensorRef t) {
        long expect = 1;
        for (int d = t.size().length - 1; d >= 0; d--) {
            if (t.size()[d] != 1 && t.stride()[d] != expect) return false;
            expect *= t.size()[d];
        }
        return true;
    }
}

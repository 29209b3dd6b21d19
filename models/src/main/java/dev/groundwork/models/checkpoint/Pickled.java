package dev.groundwork.models.checkpoint;

import java.util.Arrays;
import java.util.List;

/**
 * The values an unpickled torch checkpoint is made of, besides plain Java ones (String, Long,
 * BigInteger, Double, Boolean, null, byte[], ArrayList for lists, LinkedHashMap for dicts).
 * Tensors are only described here; their bytes are read later from the archive.
 */
public final class Pickled {
    private Pickled() {}

    /** A Python tuple: immutable, and equal by content so it can key a dict. Data pickles hand tuples out. */
    public record Tuple(List<Object> items) {
        public Tuple { items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items)); }

        public int size() { return items.size(); }

        public Object get(int i) { return items.get(i); }
    }

    /** An allow-listed global that REDUCE may call; see {@link TorchGlobals}. */
    record Global(String module, String name) {
        String dotted() { return module + "." + name; }
    }

    /** A torch dtype object such as {@code torch.float16}; only ever data, never called. */
    record TorchDType(String name) {}

    /**
     * A storage the pickle refers to by persistent id: {@code key} names its bytes in the archive and
     * {@code elementOffset} is non-zero only for legacy-format storage views.
     */
    record StorageRef(String key, StorageType type, String location, long numel, long elementOffset) {}

    /** {@code _rebuild_tensor_v2}: a strided view (offset in elements) of a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
        long numel() {
            long n = 1;
            for (long d : size) n = Math.multiplyExact(n, d);
            return n;
        }

        @Override
        public String toString() {
            return "tensor(" + storage.type() + ", size=" + Arrays.toString(size) + ")";
        }
    }
}

package dev.groundwork.models.checkpoint;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-1.6 torch.save format, still used by many published weights (torchvision's VGG16 and
 * older BERT .bin files): five pickles back to back (magic number, protocol version, system info,
 * the object graph, the list of storage keys), then each storage as an int64 element count followed
 * by its raw little-endian bytes, in key-list order.
 */
final class LegacyArchive implements StorageSource {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL = 1001;

    private final Path path;
    private final MappedByteBuffer file;
    /** Where each storage's elements start in the file, and how many bytes it has. */
    private final Map<String, long[]> storages = new HashMap<>();
    final Object root;

    private LegacyArchive(Path path, MappedByteBuffer file, Object root) {
        this.path = path;
        this.file = file;
        this.root = root;
    }

    /** Reads the pickles and locates every storage; storage bytes are read later, on demand. */
    static LegacyArchive open(Path path, Unpickler.PersistentLoader loader) throws IOException {
        MappedByteBuffer file;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) throw new CheckpointException(path, "legacy-format files over 2 GiB are not supported");
            file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        file.order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (!MAGIC.equals(new Unpickler(file, null).load()))
                throw new CheckpointException(path, "not a torch.save file (bad magic number)");
            if (!Long.valueOf(PROTOCOL).equals(new Unpickler(file, null).load()))
                throw new CheckpointException(path, "unsupported legacy torch.save protocol version");
            Object info = new Unpickler(file, null).load();
            if (info instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("little_endian")))
                throw new CheckpointException(path, "written on a big-endian machine; not supported in the legacy format");
            Map<String, StorageType> types = new HashMap<>();
            Object root = new Unpickler(file, (pid, off) -> {
                Object ref = loader.load(pid, off);
                if (ref instanceof Pickled.StorageRef s) types.put(s.key(), s.type());
                return ref;
            }).load();
            LegacyArchive a = new LegacyArchive(path, file, root);
            if (!(new Unpickler(file, null).load() instanceof List<?> keys))
                throw new CheckpointException(path, "storage key list is not a list");
            a.locate(new ArrayList<>(keys), types);
            return a;
        } catch (PickleException e) {
            throw new CheckpointException(path, "legacy torch.save pickle: " + e.getMessage(), e);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new CheckpointException(path, "malformed legacy torch.save file (" + e.getMessage() + ")", e);
        }
    }

    /** Walks the storages after the pickles; every size is checked in exact 64-bit arithmetic. */
    private void locate(List<Object> keys, Map<String, StorageType> types) throws CheckpointException {
        long at = file.position();
        for (Object k : keys) {
            if (!(k instanceof String key)) throw new CheckpointException(path, "storage key list holds " + TorchGlobals.describe(k) + ", not a string");
            StorageType t = types.get(key);
            if (t == null) throw new CheckpointException(path, "storage '" + TorchCheckpoint.abbreviate(key) + "' is listed but never referenced");
            if (storages.containsKey(key)) throw new CheckpointException(path, "storage '" + key + "' is listed twice");
            if (at > file.limit() - 8) throw new CheckpointException(path, "file is truncated: storage '" + key + "' is missing");
            long n = file.getLong((int) at), bytes, end;
            try {
                bytes = Math.multiplyExact(n, (long) t.dtype.byteSize());
                end = Math.addExact(at + 8, bytes);
            } catch (ArithmeticException e) {
                throw new CheckpointException(path, "storage '" + key + "' claims " + n + " elements, more bytes than 64 bits count");
            }
            if (n < 0 || end > file.limit())
                throw new CheckpointException(path, "file is truncated: storage '" + key + "' needs " + bytes + " bytes past offset " + (at + 8)
                        + ", the file ends at " + file.limit());
            storages.put(key, new long[]{at + 8, bytes});
            at = end;
        }
    }

    @Override
    public ByteBuffer bytes(Pickled.StorageRef ref) throws IOException {
        long[] s = storages.get(ref.key());
        if (s == null) throw new CheckpointException(path, "storage '" + ref.key() + "' is not in the file");
        int size = ref.type().dtype.byteSize();
        long from, length;
        try {
            from = Math.multiplyExact(ref.elementOffset(), (long) size);
            length = Math.multiplyExact(ref.numel(), (long) size);
        } catch (ArithmeticException e) {
            from = length = Long.MAX_VALUE;
        }
        // A view (offset, size) of the storage must lie inside it: never a byte of the count field or a neighbour.
        if (ref.elementOffset() < 0 || ref.numel() < 0 || from > s[1] || length > s[1] - from)
            throw new CheckpointException(path, "storage view of '" + ref.key() + "' (element offset " + ref.elementOffset() + ", "
                    + ref.numel() + " elements) lies outside its " + s[1] + "-byte storage");
        return file.slice((int) (s[0] + from), (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() {}
}

package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.io.SafeDType;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch checkpoint written by {@code torch.save} (zip format, or the legacy pre-1.6 format),
 * read without Python and without running anything from the file (see {@link TorchGlobals}).
 *
 * <p>{@link #open} reads only the pickle, so names, dtypes and shapes are known before any tensor
 * data is touched; {@link #tensors} and {@link #rawTensors} then read the storages. A top-level dict
 * that wraps the state dict ({@code {"state_dict": ..., "epoch": 3}}, {@code {"model": ...}}) is
 * unwrapped: its tensors come from the state dict and its plain values are in {@link #values}.
 */
public final class TorchCheckpoint {
    /** A tensor's name, dtype as stored, and shape. */
    public record TensorInfo(String name, SafeDType dtype, long[] shape) {
        public long numel() {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }
    }

    /** Keys under which training scripts commonly nest the state dict, tried in this order. */
    private static final List<String> WRAPPER_KEYS = List.of("state_dict", "model_state_dict", "model", "module", "net", "network");

    private final Path path;
    private final CheckpointFormat format;
    private final LinkedHashMap<String, Pickled.TensorRef> refs;
    private final LinkedHashMap<String, Object> values;
    private final List<String> skipped;
    private final String wrapperKey;

    private TorchCheckpoint(Path path, CheckpointFormat format, LinkedHashMap<String, Pickled.TensorRef> refs,
                            LinkedHashMap<String, Object> values, List<String> skipped, String wrapperKey) {
        this.path = path;
        this.format = format;
        this.refs = refs;
        this.values = values;
        this.skipped = skipped;
        this.wrapperKey = wrapperKey;
    }

    /** The state dict's tensors, in file order, as engine tensors. */
    public static LinkedHashMap<String, Tensor> load(Path path) throws IOException { return open(path).tensors(); }

    /** Reads and checks the object graph; tensor data is read later by {@link #tensors}. */
    public static TorchCheckpoint open(Path path) throws IOException {
        CheckpointFormat format = CheckpointFormat.detect(path);
        Object root;
        try {
            switch (format) {
                case TORCH_ZIP -> {
                    try (ZipArchive zip = ZipArchive.open(path)) {
                        root = new Unpickler(zip.dataPkl(), (pid, off) -> storageRef(pid, off, false)).load();
                    }
                }
                case TORCH_LEGACY -> root = LegacyArchive.open(path, (pid, off) -> storageRef(pid, off, true)).root;
                default -> throw new CheckpointException(path, "not a PyTorch checkpoint (" + format + ")");
            }
        } catch (PickleException e) {
            throw new CheckpointException(path, "data.pkl: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw internal(path, e);
        }
        return unwrap(path, format, root);
    }

    /** Persistent id ('storage', type, key, location, numel[, view_metadata]) to a storage reference. */
    private static Pickled.StorageRef storageRef(Object pid, long offset, boolean legacy) throws PickleException {
        // Checked field by field and described by type only: a hostile id may be a huge nested value.
        if (!(pid instanceof Pickled.Tuple t) || t.size() != (legacy ? 6 : 5) || !"storage".equals(t.get(0)))
            throw new PickleException(offset, "unrecognised persistent id (" + TorchGlobals.describe(pid) + ")");
        if (!(t.get(1) instanceof StorageType type))
            throw new PickleException(offset, "persistent id names " + TorchGlobals.describe(t.get(1)) + ", not a storage type");
        if (!(t.get(4) instanceof Long numel) || numel < 0) throw new PickleException(offset, "storage size is not a non-negative int");
        if (!(t.get(2) instanceof String || t.get(2) instanceof Long) || !(t.get(3) instanceof String location))
            throw new PickleException(offset, "storage key and location must be strings, got " + TorchGlobals.describe(t.get(2))
                    + " and " + TorchGlobals.describe(t.get(3)));
        String key = String.valueOf(t.get(2));
        if (!key.matches("[A-Za-z0-9_]{1,64}")) throw new PickleException(offset, "storage key '" + abbreviate(key) + "' is not a plain name");
        try {
            Math.multiplyExact(numel, (long) type.dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new PickleException(offset, "storage '" + key + "' claims " + numel + " elements, more bytes than 64 bits count");
        }
        if (legacy && t.get(5) instanceof Pickled.Tuple view) {
            // (view_key, element offset, view size): a window onto the root storage, checked against it when read.
            if (view.size() != 3 || !(view.get(1) instanceof Long vo) || !(view.get(2) instanceof Long vs) || vo < 0 || vs < 0)
                throw new PickleException(offset, "malformed storage view of '" + key + "': expected (key, offset >= 0, size >= 0)");
            return new Pickled.StorageRef(key, type, location, vs, vo);
        }
        return new Pickled.StorageRef(key, type, location, numel, 0);
    }

    static String abbreviate(String s) { return s.length() <= 80 ? s : s.substring(0, 77) + "..."; }

    private static TorchCheckpoint unwrap(Path path, CheckpointFormat format, Object root) throws CheckpointException {
        if (!(root instanceof Map<?, ?> top)) throw new CheckpointException(path, "top-level object is " + TorchGlobals.describe(root) + ", not a dict");
        String wrapper = null;
        Map<?, ?> dict = top;
        if (!holdsTensors(top)) {
            for (String k : WRAPPER_KEYS) if (top.get(k) instanceof Map<?, ?> m && holdsTensors(m)) { wrapper = k; dict = m; break; }
            if (wrapper == null) {
                List<String> candidates = new ArrayList<>();
                for (var e : top.entrySet()) if (e.getValue() instanceof Map<?, ?> m && holdsTensors(m)) candidates.add(String.valueOf(e.getKey()));
                if (candidates.size() != 1)
                    throw new CheckpointException(path, "cannot find the state dict: top-level keys are " + firstKeys(top)
                            + (candidates.isEmpty() ? " and none holds tensors" : ", and several hold tensors: " + candidates));
                wrapper = candidates.getFirst();
                dict = (Map<?, ?>) top.get(wrapper);
            }
        }
        LinkedHashMap<String, Pickled.TensorRef> refs = new LinkedHashMap<>();
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (var e : dict.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (e.getValue() instanceof Pickled.TensorRef t) refs.put(name, checkedShape(path, name, t));
            else skipped.add(name + " (" + TorchGlobals.describe(e.getValue()) + ")");
        }
        if (wrapper != null) {
            for (var e : top.entrySet()) {
                String k = String.valueOf(e.getKey());
                Object v = e.getValue();
                if (k.equals(wrapper)) continue;
                if (v == null || v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof BigInteger)
                    values.put(k, v);
                else skipped.add(k + " (" + TorchGlobals.describe(v) + ")");
            }
        }
        return new TorchCheckpoint(path, format, refs, values, Collections.unmodifiableList(skipped), wrapper);
    }

    /** Sizes and strides non-negative and the element count within 64 bits, before anything uses them. */
    private static Pickled.TensorRef checkedShape(Path path, String name, Pickled.TensorRef t) throws CheckpointException {
        for (int d = 0; d < t.size().length; d++)
            if (t.size()[d] < 0 || t.stride()[d] < 0)
                throw new CheckpointException(path, "tensor '" + abbreviate(name) + "' has a negative size or stride in dimension " + d);
        if (t.offset() < 0) throw new CheckpointException(path, "tensor '" + abbreviate(name) + "' has a negative storage offset " + t.offset());
        try {
            t.numel();
        } catch (ArithmeticException e) {
            throw new CheckpointException(path, "tensor '" + abbreviate(name) + "' has shape " + java.util.Arrays.toString(t.size())
                    + ", more elements than 64 bits count");
        }
        return t;
    }

    /** At most 20 keys, each abbreviated, for a message. */
    private static String firstKeys(Map<?, ?> m) {
        List<String> out = new ArrayList<>();
        for (Object k : m.keySet()) {
            if (out.size() == 20) { out.add("... (" + m.size() + " in all)"); break; }
            out.add(abbreviate(String.valueOf(k)));
        }
        return out.toString();
    }

    private static boolean holdsTensors(Map<?, ?> m) {
        for (Object v : m.values()) if (v instanceof Pickled.TensorRef) return true;
        return false;
    }

    public Path path() { return path; }

    public CheckpointFormat format() { return format; }

    /** The top-level key the state dict was found under, or null when the file is the state dict. */
    public String wrapperKey() { return wrapperKey; }

    /** Plain top-level values next to a wrapped state dict (epoch, loss, names): Long, Double, String, Boolean, BigInteger or null. */
    public Map<String, Object> values() { return Collections.unmodifiableMap(values); }

    /** Entries that are neither tensors nor plain values (an optimizer state, say), with their kind. */
    public List<String> skipped() { return skipped; }

    public List<TensorInfo> tensorInfos() {
        List<TensorInfo> out = new ArrayList<>();
        refs.forEach((n, t) -> out.add(new TensorInfo(n, t.storage().type().dtype, t.size().clone())));
        return out;
    }

    /**
     * The last line of defence: a failure no check above anticipated still becomes this reader's
     * exception naming the file, never an escaping runtime exception. Each case that reaches it is a
     * missing check to add.
     */
    private static CheckpointException internal(Path path, Throwable e) {
        return new CheckpointException(path, "malformed checkpoint (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + abbreviate(e.getMessage())) + ")", e);
    }

    /** Every tensor as stored (dtype kept), contiguous. Storages shared by several tensors are read once. */
    public LinkedHashMap<String, RawTensor> rawTensors() throws IOException {
        try {
            return readRaw();
        } catch (RuntimeException | StackOverflowError e) {
            throw internal(path, e);
        }
    }

    private LinkedHashMap<String, RawTensor> readRaw() throws IOException {
        LinkedHashMap<String, RawTensor> out = new LinkedHashMap<>();
        try (StorageSource src = format == CheckpointFormat.TORCH_ZIP ? ZipArchive.open(path)
                : LegacyArchive.open(path, (pid, off) -> storageRef(pid, off, true))) {
            Map<Pickled.StorageRef, ByteBuffer> cache = new HashMap<>();
            for (var e : refs.entrySet()) {
                Pickled.StorageRef s = e.getValue().storage();
                ByteBuffer bytes = cache.get(s);
                if (bytes == null) cache.put(s, bytes = src.bytes(s));
                try {
                    out.put(e.getKey(), StridedCopy.gather(e.getKey(), e.getValue(), bytes));
                } catch (IllegalArgumentException ex) {
                    throw new CheckpointException(path, ex.getMessage(), ex);
                }
            }
        }
        return out;
    }

    /** Every tensor as an engine tensor (see {@link RawTensor#toTensor} for the dtype rules). */
    public LinkedHashMap<String, Tensor> tensors() throws IOException {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : rawTensors().entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().toTensor());
            } catch (IllegalArgumentException ex) {
                throw new CheckpointException(path, "tensor '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
        }
        return out;
    }
}

package dev.groundwork.models.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The security boundary of the unpickler: which Python globals a checkpoint may name, and what each
 * one "does" when the pickle calls it. Every allowed global maps to a fixed Java constructor of plain
 * data; nothing is looked up by name at run time, so a file can never reach arbitrary code.
 * Anything not listed (os.system, builtins.eval, subprocess.Popen, numpy scalars ...) is refused at
 * the GLOBAL opcode itself, before any argument is even read.
 */
final class TorchGlobals {
    private TorchGlobals() {}

    /** This allow-list as the unpickler's profile for torch state dicts. */
    static final PickleGlobals PROFILE = new PickleGlobals() {
        @Override
        public Object resolve(String module, String name, long offset) throws PickleException { return TorchGlobals.resolve(module, name, offset); }

        @Override
        public Object call(Object callable, Pickled.Tuple args, long offset) throws PickleException { return TorchGlobals.call(callable, args, offset); }

        @Override
        public Object newObject(Object cls, Pickled.Tuple args, long offset) throws PickleException { return TorchGlobals.newObject(cls, args, offset); }

        @Override
        public void build(Object target, Object state, long offset) throws PickleException { TorchGlobals.build(target, state, offset); }
    };

    private static final Set<String> CALLABLES = Set.of(
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state");

    /** dtype objects pickle as GLOBAL torch.<name>; they are inert values. */
    private static final Set<String> DTYPES = Set.of(
            "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
            "float", "double", "half", "long", "int", "short");

    /** GLOBAL module name: an allowed value, or a refusal naming the global and the offset. */
    static Object resolve(String module, String name, long offset) throws RefusedGlobalException {
        String dotted = module + "." + name;
        if (CALLABLES.contains(dotted)) return new Pickled.Global(module, name);
        if (module.equals("torch")) {
            StorageType st = StorageType.byName(name);
            if (st != null) return st;
            if (DTYPES.contains(name)) return new Pickled.TorchDType(name);
        }
        throw new RefusedGlobalException(offset, dotted, "not on the allow-list of a torch state-dict reader");
    }

    /** REDUCE: callable(*args), for the allow-listed callables only. */
    static Object call(Object callable, Pickled.Tuple args, long offset) throws PickleException {
        if (!(callable instanceof Pickled.Global g))
            throw new RefusedGlobalException(offset, describe(callable), "is not callable in a checkpoint");
        return switch (g.dotted()) {
            case "collections.OrderedDict" -> orderedDict(args, offset);
            case "torch._utils._rebuild_tensor_v2" -> rebuildTensor(args, offset);
            // A Parameter is its data tensor plus flags we do not need.
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (args.size() < 1 || !(args.get(0) instanceof Pickled.TensorRef t))
                    throw new PickleException(offset, g.dotted() + " expects a tensor as its first argument");
                yield t;
            }
            default -> throw new RefusedGlobalException(offset, g.dotted(), "is not callable in a checkpoint");
        };
    }

    /** NEWOBJ: cls.__new__(cls, *args); only OrderedDict is constructible this way. */
    static Object newObject(Object cls, Pickled.Tuple args, long offset) throws PickleException {
        if (cls instanceof Pickled.Global g && g.dotted().equals("collections.OrderedDict")) return orderedDict(args, offset);
        throw new RefusedGlobalException(offset, describe(cls), "cannot be instantiated by NEWOBJ in a checkpoint");
    }

    /**
     * BUILD: sets an object's state. An OrderedDict state dict carries {@code _metadata} (module
     * versions) this way; it is not needed, so a dict state on a dict is accepted and dropped.
     */
    static void build(Object target, Object state, long offset) throws PickleException {
        if (target instanceof Map<?, ?> && (state instanceof Map<?, ?> || state == null)) return;
        throw new RefusedGlobalException(offset, describe(target), "BUILD (setting object state) is only allowed on dicts");
    }

    private static Object orderedDict(Pickled.Tuple args, long offset) throws PickleException {
        if (args.size() != 0) throw new PickleException(offset, "OrderedDict with constructor arguments is not supported");
        return new LinkedHashMap<Object, Object>();
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private static Pickled.TensorRef rebuildTensor(Pickled.Tuple a, long offset) throws PickleException {
        if (a.size() < 4 || !(a.get(0) instanceof Pickled.StorageRef s))
            throw new PickleException(offset, "_rebuild_tensor_v2 expects (storage, offset, size, stride, ...), got " + a.size() + " arguments");
        long off = asLong(a.get(1), "storage offset", offset);
        long[] size = longs(a.get(2), "size", offset), stride = longs(a.get(3), "stride", offset);
        if (size.length > MAX_RANK) throw new PickleException(offset, "tensor has " + size.length + " dimensions; at most " + MAX_RANK + " are read");
        if (size.length != stride.length)
            throw new PickleException(offset, "tensor size has " + size.length + " dimensions but stride has " + stride.length);
        return new Pickled.TensorRef(s, off, size, stride);
    }

    /** More dimensions than any real tensor has (torch allows 64). */
    static final int MAX_RANK = 64;

    private static long[] longs(Object o, String what, long offset) throws PickleException {
        if (!(o instanceof Pickled.Tuple t)) throw new PickleException(offset, "tensor " + what + " is not a tuple");
        long[] out = new long[t.size()];
        List<Object> items = t.items();
        for (int i = 0; i < out.length; i++) out[i] = asLong(items.get(i), what, offset);
        return out;
    }

    private static long asLong(Object o, String what, long offset) throws PickleException {
        if (o instanceof Long l) return l;
        throw new PickleException(offset, "tensor " + what + " holds " + describe(o) + ", not an int");
    }

    /** The Python type of a value, never its contents (which may be huge or deeply nested). */
    static String describe(Object o) {
        return switch (o) {
            case null -> "None";
            case Pickled.Global g -> g.dotted();
            case StorageType t -> "torch." + t.name();
            case Pickled.TorchDType d -> "torch." + d.name();
            case Pickled.TensorRef t -> "a tensor";
            case Pickled.StorageRef r -> "a storage";
            case NumpyArray a -> "a numpy array";
            case Pickled.Tuple t -> "a tuple of " + t.size();
            case java.util.List<?> l -> "a list of " + l.size();
            case Map<?, ?> m -> "a dict of " + m.size();
            case String s -> "a str";
            case byte[] b -> "bytes";
            case Long l -> "an int";
            case java.math.BigInteger b -> "an int";
            case Double d -> "a float";
            case Boolean b -> "a bool";
            default -> o.getClass().getSimpleName();
        };
    }
}

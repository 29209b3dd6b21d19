package dev.groundwork.models.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The allow-list profile of data pickles ({@code hard_negative.pkl}, ViLBERT's feature records): numpy
 * arrays, dtypes and scalars, and {@code _codecs.encode} (latin-1 only), which protocol 2 uses to carry
 * bytes. Every other global is refused at GLOBAL with its name and offset. numpy 2 writes the same
 * functions under {@code numpy._core}, and protocol 5 rebuilds arrays through {@code _frombuffer}
 * from an in-band buffer: real files come in all of these, so both spellings and that path are read.
 * Arrays are checked against the bytes that carry them (exact element count × item size), so nothing
 * here allocates more than a small multiple of the pickle's own size. One instance per pickle: it
 * remembers the arrays it made so that {@link #finish} can refuse one that BUILD never filled.
 */
final class NumpyGlobals implements PickleGlobals {
    private static final String RECONSTRUCT = "_reconstruct", NDARRAY = "numpy.ndarray", DTYPE = "numpy.dtype",
            SCALAR = "scalar", ENCODE = "_codecs.encode", FROMBUFFER = "_frombuffer";
    private static final Set<String> ALLOWED = Set.of(
            "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
            "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
            "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
            NDARRAY, DTYPE, ENCODE);
    private final List<NumpyArray> made = new ArrayList<>();

    @Override
    public Object resolve(String module, String name, long offset) throws PickleException {
        String dotted = module + "." + name;
        if (ALLOWED.contains(dotted)) return new Pickled.Global(module, name);
        throw new RefusedGlobalException(offset, dotted, "not on the allow-list of a data pickle (numpy arrays, dtypes and scalars, _codecs.encode)");
    }

    @Override
    public Object call(Object callable, Pickled.Tuple a, long offset) throws PickleException {
        if (!(callable instanceof Pickled.Global g) || g.dotted().equals(NDARRAY))
            throw new RefusedGlobalException(offset, TorchGlobals.describe(callable), "is not callable in a data pickle");
        String n = g.dotted().equals(DTYPE) || g.dotted().equals(ENCODE) ? g.dotted() : g.name();
        return switch (n) {
            case RECONSTRUCT -> {
                if (a.size() != 3 || !(a.get(0) instanceof Pickled.Global c) || !c.dotted().equals(NDARRAY))
                    throw new PickleException(offset, "_reconstruct expects (numpy.ndarray, shape, typecode)");
                NumpyArray empty = new NumpyArray();
                made.add(empty);
                yield empty;
            }
            case DTYPE -> {
                if (a.size() < 1 || !(a.get(0) instanceof String spec)) throw new PickleException(offset, "numpy.dtype expects a type string");
                yield dtype(spec, offset);
            }
            case SCALAR -> {
                if (a.size() != 2 || !(a.get(0) instanceof NumpyDType d) || !(a.get(1) instanceof byte[] raw))
                    throw new PickleException(offset, "numpy scalar expects (dtype, bytes)");
                if (raw.length != d.itemSize()) throw new PickleException(offset, "a " + d.name() + " scalar of " + raw.length + " bytes");
                Object v = d.scalar(raw);
                if (v == null) throw new PickleException(offset, "a uint64 scalar beyond the range of int64");
                yield v;
            }
            case ENCODE -> latin1(a, offset);
            case FROMBUFFER -> {
                // _frombuffer(buffer, dtype, shape, order)
                if (a.size() != 4 || !(a.get(0) instanceof byte[] raw) || !(a.get(1) instanceof NumpyDType d))
                    throw new PickleException(offset, "_frombuffer expects (buffer, dtype, shape, order)");
                yield array(d, a.get(2), "F".equals(a.get(3)), raw, offset);
            }
            default -> throw new RefusedGlobalException(offset, g.dotted(), "is not callable in a data pickle");
        };
    }

    @Override
    public Object newObject(Object cls, Pickled.Tuple args, long offset) throws PickleException {
        throw new RefusedGlobalException(offset, TorchGlobals.describe(cls), "cannot be instantiated by NEWOBJ in a data pickle");
    }

    /**
     * BUILD on an array: {@code (version, shape, dtype, is_fortran, rawdata)} (older numpy omits the
     * version); on a dtype: {@code (version, byteorder, subarray, names, fields, elsize, alignment,
     * flags[, metadata])}, of which only the byte order matters for a plain numeric dtype.
     */
    @Override
    public void build(Object target, Object state, long offset) throws PickleException {
        if (!(state instanceof Pickled.Tuple t)) throw new PickleException(offset, "BUILD state of " + TorchGlobals.describe(target) + " is not a tuple");
        switch (target) {
            case NumpyArray arr -> {
                if (arr.filled()) throw new PickleException(offset, "BUILD on a numpy array that is already filled");
                int at = t.size() == 5 ? 1 : 0;
                if (t.size() - at != 4 || !(t.get(at + 1) instanceof NumpyDType d) || !(t.get(at + 2) instanceof Boolean fortran))
                    throw new PickleException(offset, "numpy array state is not (version, shape, dtype, is_fortran, data)");
                Object raw = t.get(at + 3);
                if (!(raw instanceof byte[] bytes))
                    throw new PickleException(offset, "numpy array data is " + TorchGlobals.describe(raw) + ", not bytes (object arrays are not read)");
                NumpyArray filled = array(d, t.get(at), fortran, bytes, offset);
                arr.fill(filled.dtype(), filled.shape(), filled.data());
            }
            case NumpyDType d -> {
                if (t.size() < 8) throw new PickleException(offset, "numpy dtype state has " + t.size() + " fields, want 8 or 9");
                if (t.get(2) != null || t.get(3) != null || t.get(4) != null)
                    throw new PickleException(offset, "structured and sub-array dtypes are not read");
                d.byteOrder(t.get(1) instanceof String s ? s : null);
            }
            default -> throw new RefusedGlobalException(offset, TorchGlobals.describe(target), "BUILD is only allowed on numpy arrays and dtypes");
        }
    }

    /** Refuses a pickle that made an array and never filled it (its REDUCE without the BUILD). */
    void finish() throws PickleException {
        for (NumpyArray a : made) if (!a.filled()) throw new PickleException(-1, "a numpy array was created but its data was never set");
    }

    private static NumpyDType dtype(String spec, long offset) throws PickleException {
        NumpyDType d = NumpyDType.parse(spec);
        if (d == null) throw new PickleException(offset, "numpy dtype '" + spec + "' is not read (numeric dtypes only)");
        return d;
    }

    private static byte[] latin1(Pickled.Tuple a, long offset) throws PickleException {
        if (a.size() != 2 || !(a.get(0) instanceof String s) || !(a.get(1) instanceof String enc))
            throw new PickleException(offset, "_codecs.encode expects (str, encoding)");
        if (!enc.equals("latin1") && !enc.equals("latin-1"))
            throw new PickleException(offset, "_codecs.encode with encoding '" + enc + "' (only latin1 is read)");
        for (int i = 0; i < s.length(); i++)
            if (s.charAt(i) > 0xFF) throw new PickleException(offset, "_codecs.encode: a character beyond latin-1");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static NumpyArray array(NumpyDType d, Object shapeValue, boolean fortran, byte[] raw, long offset) throws PickleException {
        if (!(shapeValue instanceof Pickled.Tuple st) || st.size() > NumpyArray.MAX_RANK)
            throw new PickleException(offset, "numpy array shape is not a tuple of at most " + NumpyArray.MAX_RANK + " ints");
        long[] shape = new long[st.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(st.get(i) instanceof Long n)) throw new PickleException(offset, "numpy array dimension " + i + " is " + TorchGlobals.describe(st.get(i)));
            shape[i] = n;
        }
        try {
            return NumpyArray.fromBytes(d, shape, fortran, raw);
        } catch (IllegalArgumentException e) {
            throw new PickleException(offset, e.getMessage());
        }
    }
}

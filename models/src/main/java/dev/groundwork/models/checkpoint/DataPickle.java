package dev.groundwork.models.checkpoint;

import java.nio.ByteBuffer;

/**
 * Reads a data pickle (not a checkpoint) through the one restricted {@link Unpickler} with the numpy
 * allow-list ({@link NumpyGlobals}). The result is plain Java: String, Long, BigInteger, Double,
 * Boolean, null, byte[], List (ArrayList), Map (LinkedHashMap), {@link Pickled.Tuple} and
 * {@link NumpyArray}; numpy scalars arrive as Long, Double or Boolean. No code named by the file runs.
 */
public final class DataPickle {
    private DataPickle() {}

    public static Object load(byte[] pickle) throws PickleException {
        NumpyGlobals globals = new NumpyGlobals();
        Object root = new Unpickler(ByteBuffer.wrap(pickle), null, globals).load();
        globals.finish();
        return root;
    }
}

package dev.groundwork.models.checkpoint;

import java.math.BigInteger;

/**
 * What a dict key read from a pickle may be: the types state dicts and their metadata use (strings,
 * ints, floats, bools, None, and tuples of those), in tuples at most {@link #MAX_DEPTH} deep and
 * {@link #MAX_NODES} values large. Anything else (a list, a dict, a tensor, a tuple that is a huge
 * shared DAG) is refused before it is hashed: hashing or printing such a key is where unbounded
 * recursion and exponential work on a few hundred bytes come from.
 */
final class PickleKeys {
    static final int MAX_DEPTH = 8, MAX_NODES = 256;

    private PickleKeys() {}

    /** Null when {@code key} is acceptable, else why not. */
    static String refusal(Object key) {
        int[] budget = {MAX_NODES};
        return check(key, 0, budget);
    }

    private static String check(Object k, int depth, int[] budget) {
        if (--budget[0] < 0) return "a dict key has more than " + MAX_NODES + " values in it";
        if (k == null || k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Double || k instanceof Boolean)
            return null;
        if (k instanceof Pickled.Tuple t) {
            if (depth >= MAX_DEPTH) return "a dict key nests tuples more than " + MAX_DEPTH + " deep";
            for (Object item : t.items()) {
                String why = check(item, depth + 1, budget);
                if (why != null) return why;
            }
            return null;
        }
        return "a dict key is " + TorchGlobals.describe(k) + "; keys must be strings, numbers or tuples of those";
    }
}

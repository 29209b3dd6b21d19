package dev.groundwork.engine.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that the parsed entries describe a sane data buffer: each range inside it, its length
 * matching the shape, and no two ranges sharing a byte.
 *
 * <p>Gaps between ranges, and unused bytes at the end, are allowed. The reference implementation
 * requires the ranges to tile the buffer exactly; we are more lenient on reading because a gap cannot
 * make a read return wrong data, while an overlap means two tensors alias the same bytes. Our writer
 * never leaves gaps.
 */
final class LayoutCheck {
    private LayoutCheck() {}

    /** @return the entries sorted by begin offset (ties keep header order), i.e. file order */
    static List<TensorEntry> check(List<TensorEntry> entries, long dataLength, String file)
            throws SafeTensorsException {
        for (TensorEntry e : entries) {
            checkOne(e, dataLength, file);
        }
        List<TensorEntry> sorted = new ArrayList<>(entries);
        // Stable sort; at equal begin the empty range first, so it cannot be mistaken for an overlap.
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        TensorEntry furthest = null; // the entry whose range reaches furthest so far
        for (TensorEntry e : sorted) {
            if (e.begin() == e.end()) {
                continue; // an empty range holds no bytes, so it overlaps nothing
            }
            if (furthest != null && e.begin() < furthest.end()) {
                throw new SafeTensorsException(file + ": tensor '" + e.name() + "': data range ["
                        + e.begin() + ", " + e.end() + ") overlaps tensor '" + furthest.name() + "' ["
                        + furthest.begin() + ", " + furthest.end() + ")");
            }
            if (furthest == null || e.end() > furthest.end()) {
                furthest = e;
            }
        }
        return List.copyOf(sorted);
    }

    private static void checkOne(TensorEntry e, long dataLength, String file) throws SafeTensorsException {
        String where = file + ": tensor '" + e.name() + "': ";
        if (e.begin() > e.end()) {
            throw new SafeTensorsException(where + "data_offsets begin " + e.begin() + " > end " + e.end());
        }
        if (e.end() > dataLength) {
            throw new SafeTensorsException(where + "data range [" + e.begin() + ", " + e.end()
                    + ") is outside the data buffer of " + dataLength + " bytes");
        }
        long expected;
        try {
            expected = Math.multiplyExact(e.numElements(), SafeDType.parse(e.dtype()).byteSize());
        } catch (ArithmeticException overflow) {
            throw new SafeTensorsException(where + "shape " + Arrays.toString(e.shape())
                    + " has more bytes than fit in 64 bits");
        }
        if (e.end() - e.begin() != expected) {
            throw new SafeTensorsException(where + "data length " + (e.end() - e.begin())
                    + " bytes does not match shape " + Arrays.toString(e.shape()) + " x "
                    + e.dtype() + " = " + expected + " bytes");
        }
    }
}

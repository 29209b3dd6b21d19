package dev.groundwork.engine.io;

import java.util.Arrays;

/**
 * One tensor's header entry. {@code begin} and {@code end} are byte offsets into the data buffer,
 * i.e. relative to the first byte after the JSON header; long throughout so files over 2 GiB work.
 */
public record TensorEntry(String name, String dtype, long[] shape, long begin, long end) {

    public TensorEntry {
        shape = shape.clone(); // records hand out their fields; keep ours from being mutated
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions (0 for a scalar). */
    public int rank() {
        return shape.length;
    }

    /** Product of the shape; 1 for a scalar, 0 if any dimension is 0. */
    public long numElements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteLength() {
        return end - begin;
    }

    public SafeDType dtypeEnum() {
        return SafeDType.parse(dtype);
    }

    // Arrays compare by identity in generated record methods; compare shapes by content instead.
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorEntry e && name.equals(e.name) && dtype.equals(e.dtype)
                && Arrays.equals(shape, e.shape) && begin == e.begin && end == e.end;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + dtype.hashCode()) + Arrays.hashCode(shape) + Long.hashCode(begin);
    }

    @Override
    public String toString() {
        return name + "{" + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")}";
    }
}

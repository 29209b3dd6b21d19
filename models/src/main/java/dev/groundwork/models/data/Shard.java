package dev.groundwork.models.data;

/**
 * Which part of each global batch one data-parallel rank loads (PyTorch's {@code DistributedSampler}
 * semantics, with the global batch kept whole). Every rank draws the same epoch order (seeded by
 * (seed, epoch), never by rank); global batch k is positions [k·B, (k+1)·B) of that order, B = the
 * per-rank batch size × size, and rank r takes the r-th of its {@code size} equal contiguous parts. So N
 * ranks with batch b see, step by step, exactly the samples one process with batch N·b sees, and an
 * item's augmentation (seeded by its dataset index) is the same too.
 *
 * <p>The tail: with {@code dropLast} the last partial global batch is dropped; otherwise the order is
 * padded to a multiple of {@code size} with samples from its start (as DistributedSampler pads), so that
 * every rank has the same number of batches of the same size and no collective waits for a missing
 * rank. The padding repeats at most size−1 samples per epoch.
 */
public record Shard(int rank, int size) {
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
        if (size < 1 || rank < 0 || rank >= size) throw new IllegalArgumentException("shard rank " + rank + " of " + size + " is not 0 ≤ rank < size");
    }

    /** This rank's visiting order, given the global one and the per-rank batch size. */
    public int[] local(int[] global, int batch, boolean dropLast) {
        if (size == 1) return global;
        int n = global.length;
        long gb = (long) batch * size;
        int m = dropLast ? (int) (n / gb * gb) : (int) ((n + size - 1) / size * (long) size);
        int[] out = new int[m / size];
        int o = 0;
        for (long start = 0; start < m; start += gb) {
            int len = (int) Math.min(gb, m - start), part = len / size;
            for (int i = 0; i < part; i++) out[o++] = global[(int) ((start + (long) rank * part + i) % n)];
        }
        return out;
    }

    /** Batches per epoch on each rank. */
    public int batches(int n, int batch, boolean dropLast) {
        long gb = (long) batch * size;
        if (dropLast) return (int) (n / gb);
        long perRank = (n + size - 1) / size;
        return (int) ((perRank + batch - 1) / batch);
    }
}

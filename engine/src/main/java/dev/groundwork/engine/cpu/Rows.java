package dev.groundwork.engine.cpu;

/**
 * Walks an n-d index space one innermost row at a time, keeping the storage offset of each operand.
 * Elementwise kernels then run a tight loop along the row with the operands' last-dim strides, which
 * is where the time goes; the odometer step per row is cheap by comparison.
 */
final class Rows {
    final int rank;
    final int rowLength;
    final int rows;
    private final int[] shape;
    private final int[][] strides;
    private final int[] idx;
    final int[] off;

    /** strides[k] and offsets[k] describe operand k; all operands share shape. */
    Rows(int[] shape, int[][] strides, int[] offsets) {
        this.shape = shape;
        this.strides = strides;
        this.rank = shape.length;
        this.rowLength = rank == 0 ? 1 : shape[rank - 1];
        int r = 1;
        for (int i = 0; i < rank - 1; i++) r *= shape[i];
        this.rows = rowLength == 0 ? 0 : r;
        this.idx = new int[Math.max(rank - 1, 0)];
        this.off = offsets.clone();
    }

    /** The last-dim stride of operand k (0 for rank-0 tensors). */
    int innerStride(int k) { return rank == 0 ? 0 : strides[k][rank - 1]; }

    /** Moves to the next row (call rows-1 times after the first row). */
    void advance() {
        for (int d = rank - 2; d >= 0; d--) {
            idx[d]++;
            for (int k = 0; k < off.length; k++) off[k] += strides[k][d];
            if (idx[d] < shape[d]) return;
            for (int k = 0; k < off.length; k++) off[k] -= strides[k][d] * shape[d];
            idx[d] = 0;
        }
    }

    /** Positions the walker at the start of row r (for parallel chunks). */
    void seek(int r, int[] baseOffsets) {
        System.arraycopy(baseOffsets, 0, off, 0, off.length);
        for (int d = rank - 2; d >= 0; d--) {
            int i = r % shape[d];
            r /= shape[d];
            idx[d] = i;
            for (int k = 0; k < off.length; k++) off[k] += i * strides[k][d];
        }
    }
}

package dev.groundwork.kernels.cuda;

/**
 * Block sizes of the kernels that give each row (a line of values) to one warp or one block
 * (softmax.cu, layer_norm.cu, contrastive.cu, matchmap.cu's language gradient). Those kernels read
 * blockDim, so these are host-side choices, not tile sizes a kernel is compiled for.
 */
public final class RowGeometry {
    private RowGeometry() {}

    /** Threads per block of the warp-per-row kernels: 8 rows per block. */
    public static final int WARP_ROWS_THREADS = 256;

    /** Rows per block of the warp-per-row kernels. */
    public static final int WARP_ROWS = WARP_ROWS_THREADS / 32;

    /** Per-lane register count for the warp-per-row kernels (len <= 1024), a power of two. */
    public static int lanesPerRow(int len) {
        int n = 1;
        while (32 * n < len) n <<= 1;
        return n;
    }

    /** Threads of a block-per-row kernel: a power of two covering len up to 1024, 512 for longer rows. */
    public static int blockPerRowThreads(int len) {
        int t = 32;
        while (t < len && t < 1024) t <<= 1;
        return Math.max(32, Math.min(t, len <= 1024 ? t : 512));
    }

    /** Threads for a block reducing one line of n values: a power of two in [32, 256]. */
    public static int lineThreads(int n) {
        int t = 32;
        while (t < n && t < 256) t <<= 1;
        return t;
    }
}

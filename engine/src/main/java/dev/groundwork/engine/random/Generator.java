package dev.groundwork.engine.random;

import dev.groundwork.engine.backend.Backend;
import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;

/**
 * An explicit, seeded random stream. Its whole state is (seed, offset): each draw of n numbers uses
 * Philox counters [offset, offset + n) and advances offset by n, so a checkpoint that stores the two
 * longs resumes the exact same stream, on any backend.
 */
public final class Generator {
    private long seed;
    private long offset;

    public Generator(long seed) {
        this.seed = seed;
    }

    public long seed() { return seed; }

    public long offset() { return offset; }

    /** The full state, for checkpoints. */
    public long[] state() { return new long[]{seed, offset}; }

    public void setState(long[] state) {
        if (state.length != 2) throw new IllegalArgumentException("generator state has 2 longs, got " + state.length);
        seed = state[0];
        offset = state[1];
    }

    /** Reserves n counters and returns the first: for kernels that draw their own numbers (dropout). */
    public synchronized long reserve(long n) {
        long o = offset;
        offset += n;
        return o;
    }

    public Tensor uniform(DType dtype, Device device, double lo, double hi, int... shape) {
        return draw(Backend.RandomKind.UNIFORM, dtype, device, lo, hi, shape);
    }

    public Tensor normal(DType dtype, Device device, double mean, double std, int... shape) {
        return draw(Backend.RandomKind.NORMAL, dtype, device, mean, std, shape);
    }

    /** 1 with probability keep, else 0. */
    public Tensor bernoulli(DType dtype, Device device, double keep, int... shape) {
        return draw(Backend.RandomKind.BERNOULLI, dtype, device, keep, 0, shape);
    }

    /** A random integer in [0, bound) on the host (shuffles, sampling); uses one counter. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        int[] w = new int[4];
        Philox.block(seed, reserve(1), w);
        return (int) Math.floorMod((((long) w[0] << 32) ^ (w[1] & 0xFFFFFFFFL)), (long) bound);
    }

    /** A uniform double in [0, 1) on the host; uses one counter. */
    public double nextDouble() {
        int[] w = new int[4];
        Philox.block(seed, reserve(1), w);
        return Philox.uniform53(w[0], w[1]);
    }

    private Tensor draw(Backend.RandomKind kind, DType dtype, Device device, double a, double b, int[] shape) {
        Tensor t = Tensor.empty(dtype, device, shape);
        Backends.of(device).random(t, kind, seed, reserve(Shape.numel(shape)), a, b);
        return t;
    }
}

package dev.groundwork.engine.dist;

import dev.groundwork.engine.tensor.Tensor;

/**
 * The group of one process: every collective is the identity (gathers and scatters return a copy, so
 * that callers own what they get, as with the multi-rank implementations). A run that is not
 * distributed uses this, so the trainer has one code path.
 */
public final class SingleProcess implements Communicator {
    public static final SingleProcess INSTANCE = new SingleProcess();

    private SingleProcess() {}

    @Override public int rank() { return 0; }

    @Override public int size() { return 1; }

    @Override public String describe() { return "one process"; }

    @Override public void allReduce(Tensor t, ReduceOp op) { HostBuffers.requireContiguous(t, "all-reduce"); }

    @Override public Tensor allGather(Tensor t) { return t.copy(); }

    @Override public Tensor reduceScatter(Tensor t, ReduceOp op) { return t.copy(); }

    @Override public void broadcast(Tensor t, int root) {
        if (root != 0) throw new IllegalArgumentException("broadcast root " + root + " outside a group of 1");
    }

    @Override public byte[] broadcastBytes(byte[] data, int root) {
        if (root != 0) throw new IllegalArgumentException("broadcast root " + root + " outside a group of 1");
        return data.clone();
    }

    @Override public void barrier() {}

    /** Nothing else to stop: the caller's own exit ends the group. */
    @Override public void abort(int exitCode) {}

    @Override public void close() {}
}

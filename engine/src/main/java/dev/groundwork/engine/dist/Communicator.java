package dev.groundwork.engine.dist;

import dev.groundwork.engine.tensor.Tensor;

/**
 * The collectives data-parallel training needs, over one group of processes ("ranks"). Every rank
 * calls the same collectives in the same order with tensors of the same shape and dtype; a rank that
 * does not arrive within the timeout makes the others fail with a {@link CommunicatorException}
 * naming the collective and the rank, rather than wait forever.
 *
 * <p>Implementations: {@link SingleProcess} (one rank, no library), {@link MpiCommunicator} (Open MPI
 * through FFM, host tensors) and, in the kernels module, NCCL for CUDA tensors. Tensors must live on
 * the device the implementation serves; in-place collectives need a contiguous tensor.
 *
 * <p>All-reduce results are bit-identical on every rank (each element is reduced once, then copied),
 * which is what keeps data-parallel replicas' weights identical without re-broadcasting them.
 */
public interface Communicator extends AutoCloseable {
    /** This process's rank, 0 ≤ rank < size. */
    int rank();

    /** Number of ranks. */
    int size();

    /** What carries the collectives (e.g. "Open MPI 4.1.4", "NCCL 2.21.5"), for logs. */
    String describe();

    /** In place: every rank's {@code t} becomes the element-wise sum (or mean) over ranks. */
    void allReduce(Tensor t, ReduceOp op);

    /** The ranks' tensors concatenated along dimension 0 in rank order: shape [size·d0, ...]. */
    Tensor allGather(Tensor t);

    /**
     * Reduces {@code t} (shape [size·k, ...]) over ranks and returns this rank's block of k rows:
     * the backward of {@link #allGather}.
     */
    Tensor reduceScatter(Tensor t, ReduceOp op);

    /** In place: every rank's {@code t} becomes rank {@code root}'s. */
    void broadcast(Tensor t, int root);

    /** Rank {@code root}'s bytes on every rank (other ranks pass an array of the same length). */
    byte[] broadcastBytes(byte[] data, int root);

    /** Returns when every rank has called it. */
    void barrier();

    /**
     * Ends every rank of the group at once with this exit code: what a rank does after a failure the
     * others cannot see, so that none of them waits for it. Does not return where it can act.
     */
    void abort(int exitCode);

    /** Leaves the group (MPI_Finalize, ncclCommDestroy); collectives fail afterwards. */
    @Override
    void close();
}

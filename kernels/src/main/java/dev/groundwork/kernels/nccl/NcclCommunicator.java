package dev.groundwork.kernels.nccl;

import dev.groundwork.engine.dist.Communicator;
import dev.groundwork.engine.dist.CommunicatorException;
import dev.groundwork.engine.dist.ReduceOp;
import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.kernels.cuda.CudaContext;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.cuda.DeviceTensors;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@link Communicator} over NCCL for CUDA tensors of one device per process (NCCL cannot place two
 * ranks on one GPU). Collectives are enqueued on the backend's compute stream, after the kernels that
 * produced their inputs, and each call waits for the stream with {@code cuStreamQuery} polling against
 * {@code GW_COMM_TIMEOUT}, checking {@code ncclCommGetAsyncError}; a collective that misses the
 * deadline aborts the communicator ({@code ncclCommAbort}) and throws naming the rank. Set-up
 * ({@code ncclCommInitRank}, which blocks until every rank joins) runs under the same deadline.
 *
 * <p>All-reduce results are the same bits on every rank: NCCL's ring and tree algorithms both reduce
 * each element once and copy it.
 *
 * <p>The unique id reaches the other ranks through a bootstrap: MPI when launched by {@code mpirun}
 * ({@link #overBootstrap}), or a file on a path every rank sees under {@code gw launch}
 * ({@link UniqueIdFile}).
 */
public final class NcclCommunicator implements Communicator {
    private final Nccl nccl;
    private final CudaDevice device;
    private final CudaContext ctx;
    private final int rank, size;
    private final long timeoutNanos;
    private final MemorySegment comm;
    private final Communicator bootstrap;
    private String broken;
    private boolean closed;

    private NcclCommunicator(Nccl nccl, CudaDevice device, int rank, int size, byte[] uniqueId, long timeoutNanos, Communicator bootstrap) {
        if (uniqueId.length != Nccl.UNIQUE_ID_BYTES)
            throw new IllegalArgumentException("an ncclUniqueId has " + Nccl.UNIQUE_ID_BYTES + " bytes, got " + uniqueId.length);
        this.nccl = nccl;
        this.device = device;
        this.ctx = device.context();
        this.rank = rank;
        this.size = size;
        this.timeoutNanos = timeoutNanos;
        this.bootstrap = bootstrap;
        this.comm = init(uniqueId);
    }

    /**
     * Rank {@code rank} of {@code size} on {@code device}, with the id rank 0 made ({@link Nccl#uniqueId()}).
     * {@code bootstrap} (may be null) is closed with this communicator and carries {@link #abort}.
     */
    public static NcclCommunicator create(CudaDevice device, int rank, int size, byte[] uniqueId, Communicator bootstrap) {
        return new NcclCommunicator(Nccl.load(), device, rank, size, uniqueId, Settings.current().commTimeoutSeconds() * 1_000_000_000L, bootstrap);
    }

    /** The ranks of {@code bootstrap} (MPI under mpirun), rank 0's unique id broadcast over it. */
    public static NcclCommunicator overBootstrap(Communicator bootstrap, CudaDevice device) {
        Nccl nccl = Nccl.load();
        byte[] id = bootstrap.rank() == 0 ? nccl.uniqueId() : new byte[Nccl.UNIQUE_ID_BYTES];
        id = bootstrap.broadcastBytes(id, 0);
        return create(device, bootstrap.rank(), bootstrap.size(), id, bootstrap);
    }

    /**
     * {@code gw launch}'s ranks: the id through {@link UniqueIdFile} at {@code file}, which rank 0
     * removes once every rank has joined (ncclCommInitRank returns only then).
     */
    public static NcclCommunicator overFile(java.nio.file.Path file, int rank, int size, CudaDevice device) {
        Nccl nccl = Nccl.load();
        long timeout = Settings.current().commTimeoutSeconds() * 1_000_000_000L;
        NcclCommunicator c = new NcclCommunicator(nccl, device, rank, size, UniqueIdFile.exchange(file, rank, nccl, timeout), timeout, null);
        if (rank == 0) {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException e) {
                throw new CommunicatorException("rank 0: could not remove the rendezvous file " + file + ": " + e.getMessage(), e);
            }
        }
        return c;
    }

    private MemorySegment init(byte[] id) {
        var pool = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("gw-nccl-init").unstarted(r));
        try {
            return pool.submit(() -> {
                ctx.makeCurrent();
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment out = a.allocate(ADDRESS), uid = a.allocate(Nccl.UNIQUE_ID);
                    MemorySegment.copy(id, 0, uid, JAVA_BYTE, 0, id.length);
                    nccl.check((int) nccl.commInitRank.invokeExact(out, size, uid, rank), who() + "ncclCommInitRank");
                    return out.get(ADDRESS, 0);
                } catch (CommunicatorException e) {
                    throw e;
                } catch (Throwable t) {
                    throw new CommunicatorException(who() + "ncclCommInitRank failed", t);
                }
            }).get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new CommunicatorException(who() + "ncclCommInitRank did not complete within " + timeoutNanos / 1_000_000_000L
                    + " s (GW_COMM_TIMEOUT): not every rank joined");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CommunicatorException c ? c : new CommunicatorException(who() + "ncclCommInitRank failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommunicatorException(who() + "interrupted while joining the NCCL communicator");
        } finally {
            pool.shutdownNow();
        }
    }

    @Override public int rank() { return rank; }

    @Override public int size() { return size; }

    @Override public String describe() {
        return "NCCL " + Nccl.versionString(nccl.version()) + " (" + nccl.library() + "), " + size + " ranks";
    }

    @Override
    public synchronized void allReduce(Tensor t, ReduceOp op) {
        long p = addr(t, "all-reduce", true);
        run("all-reduce of " + t.numel() + " " + t.dtype(), s -> (int) nccl.allReduce.invokeExact(seg(p), seg(p), (long) t.numel(),
                type(t.dtype()), op == ReduceOp.AVERAGE ? Nccl.AVG : Nccl.SUM, comm, s));
    }

    @Override
    public synchronized Tensor allGather(Tensor t) {
        if (t.dim() == 0) throw new IllegalArgumentException("all-gather concatenates along dimension 0; got a scalar");
        Tensor c = device.dense(t);
        int[] shape = c.shape();
        shape[0] = Math.multiplyExact(shape[0], size);
        Tensor out = device.empty(c.dtype(), shape);
        long in = addr(c, "all-gather", false), o = DeviceTensors.addr(out);
        try {
            run("all-gather of " + c.numel() + " " + c.dtype(), s -> (int) nccl.allGather.invokeExact(seg(in), seg(o), (long) c.numel(), type(c.dtype()), comm, s));
        } finally {
            DeviceTensors.closeIfCopy(c, t);
        }
        return out;
    }

    @Override
    public synchronized Tensor reduceScatter(Tensor t, ReduceOp op) {
        if (t.dim() == 0 || t.size(0) % size != 0)
            throw new IllegalArgumentException("reduce-scatter splits dimension 0 into " + size + " equal blocks; got shape " + Arrays.toString(t.shape()));
        Tensor c = device.dense(t);
        int[] shape = c.shape();
        shape[0] /= size;
        Tensor out = device.empty(c.dtype(), shape);
        long in = addr(c, "reduce-scatter", false), o = DeviceTensors.addr(out);
        try {
            run("reduce-scatter of " + c.numel() + " " + c.dtype(), s -> (int) nccl.reduceScatter.invokeExact(seg(in), seg(o), (long) out.numel(),
                    type(c.dtype()), op == ReduceOp.AVERAGE ? Nccl.AVG : Nccl.SUM, comm, s));
        } finally {
            DeviceTensors.closeIfCopy(c, t);
        }
        return out;
    }

    @Override
    public synchronized void broadcast(Tensor t, int root) {
        if (root < 0 || root >= size) throw new IllegalArgumentException("broadcast root " + root + " outside 0.." + (size - 1));
        long p = addr(t, "broadcast", true);
        run("broadcast of " + t.numel() + " " + t.dtype() + " from rank " + root,
                s -> (int) nccl.broadcast.invokeExact(seg(p), seg(p), (long) t.numel(), type(t.dtype()), root, comm, s));
    }

    /** Through a device tensor of ints (4 bytes each): the bootstrap, when there is one, is the cheaper path for bytes. */
    @Override
    public byte[] broadcastBytes(byte[] data, int root) {
        if (bootstrap != null) return bootstrap.broadcastBytes(data, root);
        int[] words = new int[(data.length + 3) / 4 + 1];
        for (int i = 0; i < data.length; i++) words[i / 4] |= (data[i] & 0xFF) << (8 * (i % 4));
        try (Tensor host = Tensor.ofInts(words, words.length); Tensor dev = host.to(device.device())) {
            broadcast(dev, root);
            int[] back = toInts(dev);
            byte[] out = new byte[data.length];
            for (int i = 0; i < out.length; i++) out[i] = (byte) (back[i / 4] >>> (8 * (i % 4)));
            return out;
        }
    }

    private static int[] toInts(Tensor t) {
        long[] l = t.toLongArray();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = (int) l[i];
        return out;
    }

    @Override
    public void barrier() {
        try (Tensor one = Tensor.ones(1).to(device.device())) {
            allReduce(one, ReduceOp.SUM);
        }
    }

    /** Aborts this rank's NCCL communicator, then the bootstrap's group (MPI_Abort ends every rank). */
    @Override
    public void abort(int exitCode) {
        try {
            int rc = (int) nccl.commAbort.invokeExact(comm);
        } catch (Throwable ignored) {
            // ending anyway
        }
        broken = "aborted";
        if (bootstrap != null) bootstrap.abort(exitCode);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (broken == null) nccl.check((int) nccl.commDestroy.invokeExact(comm), who() + "ncclCommDestroy");
        } catch (CommunicatorException e) {
            throw e;
        } catch (Throwable t) {
            throw new CommunicatorException(who() + "ncclCommDestroy failed", t);
        } finally {
            if (bootstrap != null) bootstrap.close();
        }
    }

    // ------------------------------------------------------------------ mechanics

    @FunctionalInterface
    private interface Enqueue {
        int call(MemorySegment stream) throws Throwable;
    }

    private void run(String what, Enqueue enqueue) {
        if (closed) throw new CommunicatorException(who() + what + " on a closed communicator");
        if (broken != null) throw new CommunicatorException(who() + what + " refused: the communicator is broken (" + broken + ")");
        ctx.makeCurrent();
        try (Arena a = Arena.ofConfined()) {
            nccl.check(enqueue.call(MemorySegment.ofAddress(ctx.computeStreamAddress())), who() + what);
            MemorySegment async = a.allocate(JAVA_INT);
            long deadline = System.nanoTime() + timeoutNanos;
            for (int spins = 0; ; spins++) {
                int q = JCudaDriver.cuStreamQuery(ctx.computeStream());
                if (q == CUresult.CUDA_SUCCESS) return;
                if (q != CUresult.CUDA_ERROR_NOT_READY) throw new CommunicatorException(who() + what + ": " + CUresult.stringFor(q));
                nccl.check((int) nccl.commGetAsyncError.invokeExact(comm, async), who() + "ncclCommGetAsyncError");
                int err = async.get(JAVA_INT, 0);
                if (err != 0 && err != Nccl.IN_PROGRESS) {
                    abortQuietly(what + " failed: " + nccl.error(err));
                    throw new CommunicatorException(who() + what + " failed: " + nccl.error(err));
                }
                if (System.nanoTime() - deadline > 0) {
                    abortQuietly(what + " timed out");
                    throw new CommunicatorException(who() + what + " did not complete within " + timeoutNanos / 1_000_000_000L
                            + " s (GW_COMM_TIMEOUT): another rank has died, stalled, or called a different collective");
                }
                if (spins < 2000) Thread.onSpinWait();
                else LockSupport.parkNanos(20_000);
            }
        } catch (CommunicatorException e) {
            throw e;
        } catch (Throwable e) {
            throw new CommunicatorException(who() + what + " failed", e);
        }
    }

    private void abortQuietly(String why) {
        try {
            int rc = (int) nccl.commAbort.invokeExact(comm);
        } catch (Throwable ignored) {
            // the exception that follows says what happened
        }
        broken = why;
    }

    private long addr(Tensor t, String what, boolean inPlace) {
        if (!(t.backend() instanceof CudaDevice d) || d != device)
            throw new IllegalArgumentException(what + " over NCCL takes tensors on " + device.device() + "; this one is on " + t.device());
        if (inPlace && !t.isContiguous()) throw new IllegalArgumentException(what + " works in place and needs a contiguous tensor");
        return DeviceTensors.addr(t);
    }

    private static MemorySegment seg(long address) { return MemorySegment.ofAddress(address); }

    private static int type(DType d) {
        return switch (d) {
            case F32 -> Nccl.FLOAT32;
            case F64 -> Nccl.FLOAT64;
            case I64 -> Nccl.INT64;
            case I32 -> Nccl.INT32;
        };
    }

    private String who() { return "rank " + rank + " of " + size + ": "; }
}

package dev.groundwork.engine.dist;

import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@link Communicator} over Open MPI's {@code MPI_COMM_WORLD}, for host tensors: the group that
 * {@code mpirun -np N} starts. Used for CPU training and for the multi-process tests, and as the
 * bootstrap that hands NCCL its unique id.
 *
 * <p><b>Timeouts.</b> Every collective is the non-blocking MPI call followed by {@code MPI_Test}
 * polling against a deadline ({@code GW_COMM_TIMEOUT}, default 600 s). A collective that misses it
 * throws a {@link CommunicatorException} naming the rank and the collective; the communicator is then
 * broken (MPI may still own its buffers) and the process is expected to end, by {@link #abort}, which
 * takes the other ranks with it. A rank that dies outright is seen by {@code mpirun}, which ends the
 * job.
 *
 * <p><b>Identical results.</b> All-reduce is reduce-scatter then all-gather: each element is summed on
 * one rank only and copied to the others, so every rank holds the same bits whatever algorithm MPI
 * picks for the sum (MPI does not promise that of MPI_Allreduce).
 *
 * <p>Host arrays can move under the GC, so data is staged through native buffers owned by the
 * communicator and reused from call to call. Calls are serialised (one collective at a time).
 */
public final class MpiCommunicator implements Communicator {
    private final MpiLibrary mpi;
    private final int rank, size;
    private final long timeoutNanos;
    private final String version;
    private final boolean initializedHere;
    private final Arena small = Arena.ofShared();
    private final MemorySegment request = small.allocate(ADDRESS), flag = small.allocate(JAVA_INT);
    private final Staging a = new Staging(), b = new Staging();
    private String broken;
    private boolean closed;

    private MpiCommunicator(MpiLibrary mpi, long timeoutNanos) {
        this.mpi = mpi;
        this.timeoutNanos = timeoutNanos;
        try (Arena t = Arena.ofConfined()) {
            MemorySegment i = t.allocate(JAVA_INT);
            check((int) mpi.initialized.invokeExact(i), "MPI_Initialized");
            initializedHere = i.get(JAVA_INT, 0) == 0;
            if (initializedHere) {
                MemorySegment provided = t.allocate(JAVA_INT);
                check((int) mpi.initThread.invokeExact(MemorySegment.NULL, MemorySegment.NULL, MpiLibrary.THREAD_SERIALIZED, provided), "MPI_Init_thread");
                if (provided.get(JAVA_INT, 0) < MpiLibrary.THREAD_SERIALIZED)
                    throw new CommunicatorException("Open MPI at " + mpi.path + " offers thread level " + provided.get(JAVA_INT, 0)
                            + ", below MPI_THREAD_SERIALIZED, which a JVM (whose calls may come from any thread) needs");
            }
            MemorySegment v = t.allocate(JAVA_INT);
            check((int) mpi.commRank.invokeExact(mpi.commWorld, v), "MPI_Comm_rank");
            rank = v.get(JAVA_INT, 0);
            check((int) mpi.commSize.invokeExact(mpi.commWorld, v), "MPI_Comm_size");
            size = v.get(JAVA_INT, 0);
            MemorySegment text = t.allocate(8192);
            check((int) mpi.getLibraryVersion.invokeExact(text, v), "MPI_Get_library_version");
            String s = text.getString(0).strip();
            int nl = s.indexOf('\n');
            int comma = s.indexOf(',');
            int cut = Math.min(nl < 0 ? s.length() : nl, comma < 0 ? s.length() : comma);
            version = s.substring(0, cut);
        } catch (CommunicatorException e) {
            throw e;
        } catch (Throwable e) {
            throw new CommunicatorException("Open MPI initialisation through " + mpi.path + " failed", e);
        }
    }

    /** MPI_COMM_WORLD, initialising MPI if needed, with the timeout of {@code GW_COMM_TIMEOUT}. */
    public static MpiCommunicator world() { return world(Settings.current().commTimeoutSeconds()); }

    public static MpiCommunicator world(int timeoutSeconds) {
        return new MpiCommunicator(MpiLibrary.load(), timeoutSeconds * 1_000_000_000L);
    }

    @Override public int rank() { return rank; }

    @Override public int size() { return size; }

    @Override public String describe() { return version + " (" + mpi.path + "), " + size + " ranks"; }

    @Override
    public synchronized void allReduce(Tensor t, ReduceOp op) {
        check(t, "all-reduce");
        HostBuffers.requireContiguous(t, "all-reduce");
        int n = t.numel();
        if (size == 1 || n == 0) return;
        long e = t.dtype().byteSize();
        int per = (n + size - 1) / size;
        MemorySegment all = a.get((long) per * size * e), mine = b.get(per * e);
        HostBuffers.toNative(t, all);
        all.asSlice(n * e, ((long) per * size - n) * e).fill((byte) 0);
        run("all-reduce of " + n + " " + t.dtype(), () -> (int) mpi.ireduceScatterBlock.invokeExact(all, mine, per, type(t.dtype()), mpi.opSum, mpi.commWorld, request));
        if (op == ReduceOp.AVERAGE) scale(mine, per, t.dtype());
        run("all-reduce of " + n + " " + t.dtype() + " (gather)", () -> (int) mpi.iallgather.invokeExact(mine, per, type(t.dtype()), all, per, type(t.dtype()), mpi.commWorld, request));
        HostBuffers.fromNative(all, t);
    }

    @Override
    public synchronized Tensor allGather(Tensor t) {
        check(t, "all-gather");
        if (t.dim() == 0) throw new IllegalArgumentException("all-gather concatenates along dimension 0; got a scalar");
        Tensor c = t.contiguous();
        int n = c.numel();
        long e = c.dtype().byteSize();
        if ((long) n * size > Integer.MAX_VALUE) throw new IllegalArgumentException("all-gather of " + n + " elements × " + size + " ranks exceeds one tensor");
        MemorySegment in = b.get(n * e), out = a.get((long) n * size * e);
        HostBuffers.toNative(c, in);
        run("all-gather of " + n + " " + c.dtype(), () -> (int) mpi.iallgather.invokeExact(in, n, type(c.dtype()), out, n, type(c.dtype()), mpi.commWorld, request));
        return received(out, c, c.size(0) * size);
    }

    @Override
    public synchronized Tensor reduceScatter(Tensor t, ReduceOp op) {
        check(t, "reduce-scatter");
        if (t.dim() == 0 || t.size(0) % size != 0)
            throw new IllegalArgumentException("reduce-scatter splits dimension 0 into " + size + " equal blocks; got shape " + java.util.Arrays.toString(t.shape()));
        Tensor c = t.contiguous();
        int per = c.numel() / size;
        long e = c.dtype().byteSize();
        MemorySegment in = a.get((long) c.numel() * e), out = b.get(per * e);
        HostBuffers.toNative(c, in);
        run("reduce-scatter of " + c.numel() + " " + c.dtype(), () -> (int) mpi.ireduceScatterBlock.invokeExact(in, out, per, type(c.dtype()), mpi.opSum, mpi.commWorld, request));
        if (op == ReduceOp.AVERAGE) scale(out, per, c.dtype());
        return received(out, c, c.size(0) / size);
    }

    @Override
    public synchronized void broadcast(Tensor t, int root) {
        check(t, "broadcast");
        checkRoot(root);
        HostBuffers.requireContiguous(t, "broadcast");
        int n = t.numel();
        if (size == 1 || n == 0) return;
        MemorySegment buf = a.get((long) n * t.dtype().byteSize());
        HostBuffers.toNative(t, buf);
        run("broadcast of " + n + " " + t.dtype() + " from rank " + root, () -> (int) mpi.ibcast.invokeExact(buf, n, type(t.dtype()), root, mpi.commWorld, request));
        HostBuffers.fromNative(buf, t);
    }

    @Override
    public synchronized byte[] broadcastBytes(byte[] data, int root) {
        ensureOpen("broadcast");
        checkRoot(root);
        if (size == 1) return data.clone();
        MemorySegment buf = a.get(Math.max(1, data.length));
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
        run("broadcast of " + data.length + " bytes from rank " + root, () -> (int) mpi.ibcast.invokeExact(buf, data.length, mpi.tByte, root, mpi.commWorld, request));
        byte[] out = new byte[data.length];
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, out, 0, data.length);
        return out;
    }

    @Override
    public synchronized void barrier() {
        ensureOpen("barrier");
        run("barrier", () -> (int) mpi.ibarrier.invokeExact(mpi.commWorld, request));
    }

    @Override
    public void abort(int exitCode) {
        try {
            int rc = (int) mpi.abort.invokeExact(mpi.commWorld, exitCode);
        } catch (Throwable ignored) {
            // nothing more to do: the caller exits next
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (broken != null) return; // MPI may still own the buffers of the collective that timed out: exit without finalising
        try (Arena t = Arena.ofConfined()) {
            MemorySegment f = t.allocate(JAVA_INT);
            check((int) mpi.finalized.invokeExact(f), "MPI_Finalized");
            if (initializedHere && f.get(JAVA_INT, 0) == 0) check((int) mpi.finalizeFn.invokeExact(), "MPI_Finalize");
        } catch (CommunicatorException e) {
            throw e;
        } catch (Throwable e) {
            throw new CommunicatorException(who() + "MPI_Finalize failed", e);
        }
        a.close();
        b.close();
        small.close();
    }

    // ------------------------------------------------------------------ mechanics

    @FunctionalInterface
    private interface Start {
        int call() throws Throwable;
    }

    /** Starts a non-blocking collective into {@link #request} and polls it until done or past the deadline. */
    private void run(String what, Start start) {
        ensureOpen(what);
        try {
            check(start.call(), what);
            long deadline = System.nanoTime() + timeoutNanos;
            for (int spins = 0; ; spins++) {
                check((int) mpi.test.invokeExact(request, flag, MemorySegment.NULL), "MPI_Test of " + what);
                if (flag.get(JAVA_INT, 0) != 0) return;
                if (System.nanoTime() - deadline > 0) {
                    broken = what + " timed out after " + timeoutNanos / 1_000_000_000L + " s";
                    throw new CommunicatorException(who() + what + " did not complete within " + timeoutNanos / 1_000_000_000L
                            + " s (GW_COMM_TIMEOUT): another rank has died, stalled, or called a different collective");
                }
                // Spin briefly (small collectives finish in microseconds), then yield the core to the other ranks.
                if (spins < 2000) Thread.onSpinWait();
                else LockSupport.parkNanos(spins < 20_000 ? 20_000 : 1_000_000);
            }
        } catch (CommunicatorException e) {
            throw e;
        } catch (Throwable e) {
            throw new CommunicatorException(who() + what + " failed", e);
        }
    }

    private void check(Tensor t, String what) {
        ensureOpen(what);
        HostBuffers.requireHost(t, what);
    }

    private void ensureOpen(String what) {
        if (closed) throw new CommunicatorException(who() + what + " on a closed communicator");
        if (broken != null) throw new CommunicatorException(who() + what + " refused: the communicator is broken (" + broken + ")");
    }

    /** A new host tensor shaped like {@code like} but with {@code rows} rows, filled from {@code src}. */
    private static Tensor received(MemorySegment src, Tensor like, int rows) {
        int[] shape = like.shape();
        shape[0] = rows;
        Tensor r = Tensor.empty(like.dtype(), Device.CPU, shape);
        HostBuffers.fromNative(src, r);
        return r;
    }

    private void checkRoot(int root) {
        if (root < 0 || root >= size) throw new IllegalArgumentException("broadcast root " + root + " outside 0.." + (size - 1));
    }

    private String who() { return "rank " + rank + " of " + size + ": "; }

    private void check(int rc, String call) {
        if (rc != 0) throw new CommunicatorException(who() + call + " returned MPI error " + rc);
    }

    private MemorySegment type(DType d) {
        return switch (d) {
            case F32 -> mpi.tFloat;
            case F64 -> mpi.tDouble;
            case I64 -> mpi.tInt64;
            case I32 -> mpi.tInt;
        };
    }

    /** Multiplies n elements by 1/size in place (the owner of each reduced element does it once). */
    private void scale(MemorySegment s, int n, DType d) {
        switch (d) {
            case F32 -> {
                float k = 1f / size;
                for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, s.getAtIndex(ValueLayout.JAVA_FLOAT, i) * k);
            }
            case F64 -> {
                double k = 1.0 / size;
                for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, s.getAtIndex(ValueLayout.JAVA_DOUBLE, i) * k);
            }
            default -> throw new IllegalArgumentException("an average of " + d + " values is not an integer; use SUM");
        }
    }

    /** A native buffer that grows to the largest request and is reused; the old one is freed on growth. */
    private static final class Staging {
        private Arena arena;
        private MemorySegment seg = MemorySegment.NULL;

        MemorySegment get(long bytes) {
            if (seg.byteSize() < bytes) {
                if (arena != null) arena.close();
                arena = Arena.ofShared();
                seg = arena.allocate(Math.max(bytes, 64), 64);
            }
            return seg.asSlice(0, bytes);
        }

        void close() {
            if (arena != null) arena.close();
            arena = null;
        }
    }
}

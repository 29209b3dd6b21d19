package dev.groundwork.engine.dist;

import dev.groundwork.engine.tensor.Tensor;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A communicator whose in-place all-reduces may run on a communication thread ({@link #allReduceAsync}
 * returns at once): data-parallel training all-reduces gradient buckets there while the backward pass
 * computes the others. Every other collective waits until the thread has finished what it was given, then
 * runs on the caller's thread (so that a tensor it returns belongs to the caller's {@code TensorScope}).
 *
 * <p>Why a thread and not MPI's non-blocking all-reduce: Open MPI makes progress on a collective only
 * inside MPI calls, so an {@code MPI_Iallreduce} started during the backward pass would hardly move until
 * the main thread waited for it; a thread inside the (already polling, time-limited) collective drives it
 * while the main thread computes. Why the other collectives wait for the thread: one the main thread makes
 * meanwhile (the reduce-scatter in the backward of {@link GatherWithGrad}, a loss's global count) must neither
 * run concurrently with another on the same communicator (MPI_THREAD_SERIALIZED) nor overtake it, since
 * ranks must issue collectives in the same order; the sweeping thread hands everything out in sweep order.
 *
 * <p>A failure inside the thread (a timeout, a dead rank) reaches the caller as the same
 * {@link CommunicatorException}, and every later call is refused by the wrapped communicator's broken state.
 * {@link #abort} goes straight to the wrapped communicator (the queue may be stuck in a collective);
 * {@link #close} drains the queue, then closes the wrapped one on the caller's thread (MPI_Finalize belongs
 * to the thread that initialised MPI).
 */
public final class SerialCommunicator implements Communicator {
    private final Communicator inner;
    private final ExecutorService thread;
    /** The last collective handed to the thread: it runs them in order, so this one ends last. */
    private Future<?> last;

    public SerialCommunicator(Communicator inner) {
        this.inner = inner;
        this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("gw-collectives-rank-" + inner.rank()).unstarted(r));
    }

    /** Starts an in-place all-reduce of {@code t} behind the collectives already asked for; {@link #await} its end. */
    public Future<Void> allReduceAsync(Tensor t, ReduceOp op) {
        Future<Void> f = thread.submit(() -> {
            inner.allReduce(t, op);
            return null;
        });
        last = f;
        return f;
    }

    /** Waits for a collective started here, rethrowing its failure as it was thrown. */
    public static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommunicatorException("interrupted while waiting for a collective", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new CommunicatorException("a collective failed", c);
        }
    }

    /** Runs {@code c} on this thread once the communication thread is idle: never two collectives at once, and in call order. */
    private <T> T call(Callable<T> c) {
        if (last != null) {
            Future<?> f = last;
            last = null;
            await(f);
        }
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CommunicatorException("a collective failed", e);
        }
    }

    @Override public int rank() { return inner.rank(); }

    @Override public int size() { return inner.size(); }

    @Override public String describe() { return inner.describe(); }

    @Override public void allReduce(Tensor t, ReduceOp op) {
        call(() -> {
            inner.allReduce(t, op);
            return null;
        });
    }

    @Override public Tensor allGather(Tensor t) { return call(() -> inner.allGather(t)); }

    @Override public Tensor reduceScatter(Tensor t, ReduceOp op) { return call(() -> inner.reduceScatter(t, op)); }

    @Override public void broadcast(Tensor t, int root) {
        call(() -> {
            inner.broadcast(t, root);
            return null;
        });
    }

    @Override public byte[] broadcastBytes(byte[] data, int root) { return call(() -> inner.broadcastBytes(data, root)); }

    @Override public void barrier() {
        call(() -> {
            inner.barrier();
            return null;
        });
    }

    @Override public void abort(int exitCode) { inner.abort(exitCode); }

    @Override public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(60, TimeUnit.SECONDS)) thread.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inner.close();
    }
}

package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Batches over a {@link Dataset}. Order and augmentation depend only on (seed, epoch): the visiting
 * order is a Fisher–Yates shuffle from a generator seeded by (seed, epoch), and item i gets its own
 * generator seeded by (seed, epoch, i). Workers only change who decodes an item, never what it
 * decodes to, and batches are assembled in visiting order, so any worker count gives the same
 * batches as loading on the caller's thread (workers = 0).
 * <p>
 * Workers are an executor per epoch; an ordered window of futures holds the next {@code prefetch}
 * positions, so at most that many items are decoded but not yet consumed, and the consumer blocks on
 * the one future it needs. Closing the epoch (its end, an early exit, a failure) cancels the window
 * and stops the workers.
 * <p>
 * A failing item is never dropped silently: under {@link BadRecordPolicy#SKIP} one warning line
 * naming index and path goes to the warning sink (stderr by default) and the batch is filled from
 * the next items; under FAIL the epoch stops with the {@link DataException}.
 */
public final class DataLoader<T, B> implements AutoCloseable {
    public record Options(int batchSize, boolean shuffle, boolean dropLast, int workers, int prefetch, long seed,
                          BadRecordPolicy policy, Shard shard) {
        public Options {
            if (shard == null) shard = Shard.WHOLE;
            if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive");
            if (workers < 0) throw new IllegalArgumentException("workers must be >= 0");
            if (prefetch < 1) throw new IllegalArgumentException("prefetch must be positive");
        }

        /** Shuffled, keep the last partial batch, loading on the caller's thread, FAIL on bad records. */
        public static Options of(int batchSize, long seed) {
            return new Options(batchSize, true, false, 0, 2 * batchSize, seed, BadRecordPolicy.FAIL, Shard.WHOLE);
        }

        public Options shuffle(boolean v) { return new Options(batchSize, v, dropLast, workers, prefetch, seed, policy, shard); }
        public Options dropLast(boolean v) { return new Options(batchSize, shuffle, v, workers, prefetch, seed, policy, shard); }
        public Options workers(int v) { return new Options(batchSize, shuffle, dropLast, v, prefetch, seed, policy, shard); }
        public Options prefetch(int v) { return new Options(batchSize, shuffle, dropLast, workers, v, seed, policy, shard); }
        public Options policy(BadRecordPolicy v) { return new Options(batchSize, shuffle, dropLast, workers, prefetch, seed, v, shard); }
        /** This rank's part of every global batch ({@link Shard}); batchSize is then the per-rank batch. */
        public Options shard(Shard v) { return new Options(batchSize, shuffle, dropLast, workers, prefetch, seed, policy, v); }
    }

    /** An unchecked carrier for the {@link DataException} when iterating with for-each. */
    public static final class LoadFailure extends RuntimeException {
        public LoadFailure(DataException cause) { super(cause.getMessage(), cause); }

        @Override
        public synchronized DataException getCause() { return (DataException) super.getCause(); }
    }

    private final Dataset<T> dataset;
    private final Function<List<T>, B> collate;
    private final Options options;
    private final Consumer<String> warnings;
    private Epoch current;

    public DataLoader(Dataset<T> dataset, Function<List<T>, B> collate, Options options) {
        this(dataset, collate, options, line -> { System.err.println(line); System.err.flush(); });
    }

    public DataLoader(Dataset<T> dataset, Function<List<T>, B> collate, Options options, Consumer<String> warnings) {
        this.dataset = dataset;
        this.collate = collate;
        this.options = options;
        this.warnings = warnings;
    }

    public Options options() { return options; }

    /** Batches per epoch when no record is skipped. */
    public int batchesPerEpoch() {
        return options.shard().batches(dataset.size(), options.batchSize(), options.dropLast());
    }

    /** The generator for item {@code index} in {@code epoch}: a function of the three numbers only. */
    public static Generator itemGenerator(long seed, int epoch, int index) {
        return new Generator(mix(mix(seed ^ 0x5DEECE66DL, epoch), index));
    }

    /** The visiting order of {@code epoch}. */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (options.shuffle()) {
            Generator g = new Generator(mix(mix(options.seed(), epoch), -1L));
            for (int i = n - 1; i > 0; i--) {
                int j = g.nextInt(i + 1);
                int t = order[i]; order[i] = order[j]; order[j] = t;
            }
        }
        return order;
    }

    /**
     * Daemon threads named gw-data-EPOCH-N (a forgotten epoch never keeps the JVM alive), each recorded
     * in {@code made} so tests can check that closing an epoch ends them.
     */
    private static ThreadFactory workerThreads(int epoch, List<Thread> made) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = Thread.ofPlatform().daemon().name("gw-data-" + epoch + "-" + n.getAndIncrement()).unstarted(r);
            synchronized (made) { made.add(t); }
            return t;
        };
    }

    /** SplitMix64 finaliser over (a, b): decorrelates neighbouring seeds, epochs and indices. */
    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Starts {@code epoch} (closing any epoch still running). */
    public synchronized Epoch epoch(int epoch) {
        if (current != null) current.close();
        current = new Epoch(epoch);
        return current;
    }

    @Override
    public synchronized void close() {
        if (current != null) current.close();
        current = null;
    }

    /** The outcome of decoding one position: an item or the error. */
    private record Slot<T>(T item, DataException error) {}

    /**
     * One pass over the data. Iterate with {@link #nextBatch()} or for-each (errors as {@link LoadFailure});
     * close it (try-with-resources) when the loop may end early, so its workers stop with it.
     */
    public final class Epoch implements Iterator<B>, Iterable<B>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        /**
         * The decode tasks of the next positions, in visiting order: at most {@code prefetch} of them
         * are submitted but not yet taken, and taking the head submits the next one, so prefetch is
         * bounded and the consumer waits on exactly the position it needs (no polling).
         */
        private final ArrayDeque<Future<Slot<T>>> window = new ArrayDeque<>();
        private final ExecutorService workers;
        private final List<Thread> threads = new ArrayList<>();
        private int submitted;
        private volatile boolean closed;
        private int position;
        private B lookahead;
        private boolean finished;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = options.shard().local(order(epoch), options.batchSize(), options.dropLast());
            this.workers = options.workers() == 0 ? null : Executors.newFixedThreadPool(options.workers(), workerThreads(epoch, threads));
            if (workers != null) while (submitted < order.length && window.size() < options.prefetch()) submitNext();
        }

        public int epochNumber() { return epoch; }

        private void submitNext() {
            int index = order[submitted++];
            window.add(workers.submit(() -> decode(index)));
        }

        private Slot<T> decode(int index) {
            try {
                return new Slot<>(dataset.get(index, itemGenerator(options.seed(), epoch, index)), null);
            } catch (DataException e) {
                return new Slot<>(null, e);
            } catch (RuntimeException e) {
                // A dataset bug or malformed value that escaped its checks still names the index.
                return new Slot<>(null, new DataException(index, null, e.toString(), e));
            }
        }

        private Slot<T> take(int p) throws InterruptedException {
            if (workers == null) return decode(order[p]);
            Future<Slot<T>> head = window.poll();
            if (submitted < order.length) submitNext();
            try {
                return head.get();
            } catch (ExecutionException e) {
                // decode() turns every failure into a Slot; an Error (out of memory) is all that lands here.
                throw new IllegalStateException("loader worker failed on dataset index " + order[p], e.getCause());
            }
        }

        /** The next batch, or null at the end of the epoch. */
        public B nextBatch() throws DataException {
            if (closed) throw new IllegalStateException("epoch " + epoch + " is closed");
            List<T> items = new ArrayList<>(options.batchSize());
            while (items.size() < options.batchSize() && position < order.length) {
                Slot<T> s;
                try {
                    s = take(position++);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while loading", e);
                }
                if (s.error() == null) {
                    items.add(s.item());
                } else if (options.policy() == BadRecordPolicy.SKIP) {
                    warnings.accept("warning: skipping bad record: " + s.error().getMessage());
                } else {
                    close();
                    throw s.error();
                }
            }
            if (items.isEmpty() || (options.dropLast() && items.size() < options.batchSize())) {
                close();
                return null;
            }
            return collate.apply(items);
        }

        @Override
        public boolean hasNext() {
            if (lookahead == null && !finished) {
                try {
                    lookahead = nextBatch();
                } catch (DataException e) {
                    finished = true;
                    throw new LoadFailure(e);
                }
                if (lookahead == null) finished = true;
            }
            return lookahead != null;
        }

        @Override
        public B next() {
            if (!hasNext()) throw new NoSuchElementException();
            B b = lookahead;
            lookahead = null;
            return b;
        }

        @Override
        public Iterator<B> iterator() { return this; }

        /** Stops the workers and waits for them; decoded items are dropped. Idempotent. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (workers == null) return;
            for (Future<Slot<T>> f : window) f.cancel(true);
            window.clear();
            workers.shutdownNow();
            try {
                if (!workers.awaitTermination(30, TimeUnit.SECONDS))
                    throw new IllegalStateException("data workers of epoch " + epoch + " did not stop within 30 s");
                // The pool reports termination just before its threads exit; wait for the threads too,
                // so that after close() none of them is alive.
                List<Thread> made;
                synchronized (threads) { made = List.copyOf(threads); }
                for (Thread t : made) t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Worker threads still alive (for tests of close()). */
        public long liveWorkers() {
            synchronized (threads) { return threads.stream().filter(Thread::isAlive).count(); }
        }
    }
}

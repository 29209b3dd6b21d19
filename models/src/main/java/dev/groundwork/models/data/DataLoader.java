package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
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
 * Prefetch is bounded: a worker takes a permit before claiming the next position and the consumer
 * returns it when it takes the item, so at most {@code prefetch} items are decoded but not yet
 * consumed. Positions are claimed in order, so the one the consumer waits for is always claimed.
 * <p>
 * A failing item is never dropped silently: under {@link BadRecordPolicy#SKIP} one warning line
 * naming index and path goes to the warning sink (stderr by default) and the batch is filled from
 * the next items; under FAIL the epoch stops with the {@link DataException}.
 */
public final class DataLoader<T, B> implements AutoCloseable {
    public record Options(int batchSize, boolean shuffle, boolean dropLast, int workers, int prefetch, long seed,
                          BadRecordPolicy policy) {
        public Options {
            if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive");
            if (workers < 0) throw new IllegalArgumentException("workers must be >= 0");
            if (prefetch < 1) throw new IllegalArgumentException("prefetch must be positive");
        }

        /** Shuffled, keep the last partial batch, loading on the caller's thread, FAIL on bad records. */
        public static Options of(int batchSize, long seed) {
            return new Options(batchSize, true, false, 0, 2 * batchSize, seed, BadRecordPolicy.FAIL);
        }

        public Options shuffle(boolean v) { return new Options(batchSize, v, dropLast, workers, prefetch, seed, policy); }
        public Options dropLast(boolean v) { return new Options(batchSize, shuffle, v, workers, prefetch, seed, policy); }
        public Options workers(int v) { return new Options(batchSize, shuffle, dropLast, v, prefetch, seed, policy); }
        public Options prefetch(int v) { return new Options(batchSize, shuffle, dropLast, workers, v, seed, policy); }
        public Options policy(BadRecordPolicy v) { return new Options(batchSize, shuffle, dropLast, workers, prefetch, seed, v); }
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
        int n = dataset.size(), b = options.batchSize();
        return options.dropLast() ? n / b : (n + b - 1) / b;
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

    /** One pass over the data. Iterate with {@link #nextBatch()} or for-each (errors as {@link LoadFailure}). */
    public final class Epoch implements Iterator<B>, Iterable<B>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final ConcurrentHashMap<Integer, Slot<T>> ready = new ConcurrentHashMap<>();
        private final Semaphore permits;
        private final AtomicInteger claimed = new AtomicInteger();
        private final List<Thread> threads = new ArrayList<>();
        private final Object signal = new Object();
        private volatile boolean closed;
        private int position;
        private B lookahead;
        private boolean finished;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.permits = new Semaphore(options.prefetch());
            for (int w = 0; w < options.workers(); w++) {
                Thread t = Thread.ofPlatform().daemon().name("gw-data-" + epoch + "-" + w).unstarted(this::work);
                threads.add(t);
                t.start();
            }
        }

        public int epochNumber() { return epoch; }

        private void work() {
            try {
                while (!closed) {
                    permits.acquire();
                    int p = claimed.getAndIncrement();
                    if (p >= order.length || closed) return;
                    Slot<T> s = decode(order[p]);
                    ready.put(p, s);
                    synchronized (signal) { signal.notifyAll(); }
                }
            } catch (InterruptedException e) {
                // close() interrupts idle workers; just stop.
            }
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
            if (threads.isEmpty()) return decode(order[p]);
            Slot<T> s;
            synchronized (signal) {
                while ((s = ready.remove(p)) == null) {
                    if (closed) throw new InterruptedException("loader closed");
                    signal.wait(50);
                }
            }
            permits.release();
            return s;
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

        /** Stops the workers and waits for them; decoded items are dropped. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            for (Thread t : threads) t.interrupt();
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            ready.clear();
        }

        /** Worker threads still alive (for tests of close()). */
        public long liveWorkers() { return threads.stream().filter(Thread::isAlive).count(); }
    }
}

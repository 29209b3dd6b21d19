package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class DataLoaderTest {
    /** Item = (index, a random draw); index 7 and 13 fail. Sleeps a little to scramble worker timing. */
    static final class Numbers implements Dataset<long[]> {
        final int n;
        final AtomicInteger decoded = new AtomicInteger();
        final java.util.Set<Integer> bad;

        Numbers(int n, Integer... bad) { this.n = n; this.bad = java.util.Set.of(bad); }

        public int size() { return n; }

        public long[] get(int index, Generator rng) throws DataException {
            decoded.incrementAndGet();
            try { Thread.sleep((index * 7) % 3); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            if (bad.contains(index)) throw new DataException(index, Path.of("img/" + index + ".png"), "image file not found");
            return new long[]{index, rng.nextInt(1_000_000)};
        }
    }

    static List<List<Long>> run(DataLoader<long[], List<Long>> loader, int epoch) throws DataException {
        List<List<Long>> out = new ArrayList<>();
        try (var e = loader.epoch(epoch)) {
            for (List<Long> b; (b = e.nextBatch()) != null; ) out.add(b);
        }
        return out;
    }

    static List<Long> flatten(List<long[]> items) {
        List<Long> l = new ArrayList<>();
        for (long[] it : items) { l.add(it[0]); l.add(it[1]); }
        return l;
    }

    @Test
    void workersGiveTheSameBatchesAsSingleThreaded() throws Exception {
        var opts = DataLoader.Options.of(4, 42);
        List<List<Long>> one, three;
        try (var l = new DataLoader<>(new Numbers(30), DataLoaderTest::flatten, opts.workers(0))) { one = run(l, 3); }
        try (var l = new DataLoader<>(new Numbers(30), DataLoaderTest::flatten, opts.workers(1))) { assertEquals(one, run(l, 3)); }
        try (var l = new DataLoader<>(new Numbers(30), DataLoaderTest::flatten, opts.workers(3).prefetch(5))) { three = run(l, 3); }
        assertEquals(one, three);
        assertEquals(8, one.size()); // 30/4 rounded up
        try (var l = new DataLoader<>(new Numbers(30), DataLoaderTest::flatten, opts)) {
            assertNotEquals(one, run(l, 4), "another epoch shuffles differently");
        }
    }

    @Test
    void sequentialOrderAndDropLast() throws Exception {
        var opts = DataLoader.Options.of(4, 1).shuffle(false).dropLast(true).workers(2);
        try (var l = new DataLoader<>(new Numbers(10), DataLoaderTest::flatten, opts)) {
            List<List<Long>> b = run(l, 0);
            assertEquals(2, b.size());
            assertEquals(List.of(0L, 1L, 2L, 3L), List.of(b.get(0).get(0), b.get(0).get(2), b.get(0).get(4), b.get(0).get(6)));
            assertEquals(2, l.batchesPerEpoch());
        }
    }

    @Test
    void skipWarnsWithIndexAndPathAndGoesOn() throws Exception {
        List<String> warnings = new ArrayList<>();
        var opts = DataLoader.Options.of(5, 9).shuffle(false).policy(BadRecordPolicy.SKIP).workers(3);
        try (var l = new DataLoader<>(new Numbers(20, 7, 13), DataLoaderTest::flatten, opts, warnings::add)) {
            List<List<Long>> b = run(l, 0);
            assertEquals(18, b.stream().mapToInt(x -> x.size() / 2).sum());
            assertEquals(List.of(5L, 6L, 8L, 9L, 10L), List.of(b.get(1).get(0), b.get(1).get(2), b.get(1).get(4), b.get(1).get(6), b.get(1).get(8)));
        }
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(0).contains("dataset index 7") && warnings.get(0).contains("img/7.png"), warnings.get(0));
        assertTrue(warnings.get(1).contains("dataset index 13"), warnings.get(1));
    }

    @Test
    void failStopsWithTheError() {
        var opts = DataLoader.Options.of(5, 9).shuffle(false).workers(2);
        try (var l = new DataLoader<>(new Numbers(20, 7), DataLoaderTest::flatten, opts)) {
            DataException e = assertThrows(DataException.class, () -> run(l, 0));
            assertEquals(7, e.index());
            assertTrue(e.getMessage().contains("img/7.png"), e.getMessage());
            var it = l.epoch(0);
            DataLoader.LoadFailure f = assertThrows(DataLoader.LoadFailure.class, () -> { for (var b : it) assertNotNull(b); });
            assertEquals(7, f.getCause().index());
        }
    }

    @Test
    void prefetchIsBoundedForASlowConsumer() throws Exception {
        Numbers ds = new Numbers(200);
        var opts = DataLoader.Options.of(1, 3).workers(4).prefetch(6);
        try (var l = new DataLoader<>(ds, DataLoaderTest::flatten, opts)) {
            var e = l.epoch(0);
            int consumed = 0;
            for (int i = 0; i < 10; i++) {
                assertNotNull(e.nextBatch());
                consumed++;
                Thread.sleep(20);
                assertTrue(ds.decoded.get() <= consumed + 6, "decoded " + ds.decoded.get() + " after consuming " + consumed);
            }
            e.close();
            assertEquals(0, e.liveWorkers());
            assertTrue(ds.decoded.get() <= consumed + 6);
        }
    }

    @Test
    void aStepThatThrowsLeavesNoWorkerAlive() {
        var opts = DataLoader.Options.of(2, 5).workers(3).prefetch(8);
        try (var l = new DataLoader<>(new Numbers(100), DataLoaderTest::flatten, opts)) {
            DataLoader<long[], List<Long>>.Epoch[] seen = new DataLoader.Epoch[1];
            assertThrows(ArithmeticException.class, () -> {
                try (var e = l.epoch(0)) {
                    seen[0] = e;
                    int steps = 0;
                    for (List<Long> b : e) {
                        assertNotNull(b);
                        if (++steps == 3) throw new ArithmeticException("the step failed");
                    }
                }
            });
            assertEquals(0, seen[0].liveWorkers(), "workers still alive after the step threw");
            assertEquals(0, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("gw-data-0-")).count());
        }
    }

    @Test
    void startingTheNextEpochStopsTheOneLeftOpen() throws Exception {
        var opts = DataLoader.Options.of(2, 5).workers(2);
        try (var l = new DataLoader<>(new Numbers(40), DataLoaderTest::flatten, opts)) {
            var first = l.epoch(0);
            assertNotNull(first.nextBatch());
            var second = l.epoch(1);
            assertEquals(0, first.liveWorkers());
            assertThrows(IllegalStateException.class, first::nextBatch);
            assertNotNull(second.nextBatch());
        }
    }

    @Test
    void itemGeneratorsDependOnSeedEpochAndIndexOnly() {
        assertEquals(DataLoader.itemGenerator(1, 2, 3).nextInt(1 << 30), DataLoader.itemGenerator(1, 2, 3).nextInt(1 << 30));
        assertNotEquals(DataLoader.itemGenerator(1, 2, 3).nextInt(1 << 30), DataLoader.itemGenerator(1, 2, 4).nextInt(1 << 30));
        assertNotEquals(DataLoader.itemGenerator(1, 2, 3).nextInt(1 << 30), DataLoader.itemGenerator(1, 3, 3).nextInt(1 << 30));
    }
}

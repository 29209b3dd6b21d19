package dev.groundwork.models.interbert.recipe;

import dev.groundwork.models.interbert.data.InterBertBatches;
import dev.groundwork.models.interbert.data.VcrTask;
import dev.groundwork.models.train.BatchSource;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Q→A and QA→R batches interleaved as the original's joint loop takes them (spec 4.1, 8.17): each
 * iteration one Q→A batch then one QA→R batch, each its own optimizer step and EMA update; iterations per
 * epoch = the longer task's batches, the shorter task's loader restarted (next pass) when it runs out.
 */
final class VcrJointSource implements BatchSource<VcrBatch> {
    private final BatchSource<InterBertBatches.Pairs> qa, qar;

    VcrJointSource(BatchSource<InterBertBatches.Pairs> qa, BatchSource<InterBertBatches.Pairs> qar) {
        this.qa = qa;
        this.qar = qar;
    }

    int iterationsPerEpoch() { return Math.max(qa.batchesPerEpoch(), qar.batchesPerEpoch()); }

    @Override
    public int batchesPerEpoch() { return 2 * iterationsPerEpoch(); }

    @Override
    public Iterable<VcrBatch> epoch(int epoch) {
        return () -> new Iterator<>() {
            final Cycle a = new Cycle(qa, epoch), b = new Cycle(qar, epoch);
            int i;

            public boolean hasNext() { return i < batchesPerEpoch(); }

            public VcrBatch next() {
                if (!hasNext()) throw new NoSuchElementException();
                return i++ % 2 == 0 ? new VcrBatch(VcrTask.Kind.Q_A, a.next()) : new VcrBatch(VcrTask.Kind.QA_R, b.next());
            }
        };
    }

    /** A task's batches, passes of it one after another (pass k of epoch e is the loader's epoch e + k·1000). */
    private static final class Cycle {
        private final BatchSource<InterBertBatches.Pairs> src;
        private final int epoch;
        private int pass;
        private Iterator<InterBertBatches.Pairs> it;

        Cycle(BatchSource<InterBertBatches.Pairs> src, int epoch) {
            this.src = src;
            this.epoch = epoch;
            this.it = src.epoch(epoch).iterator();
        }

        InterBertBatches.Pairs next() {
            if (!it.hasNext()) it = src.epoch(epoch + 1000 * ++pass).iterator();
            return it.next();
        }
    }

    @Override
    public void close() {
        try {
            qa.close();
        } finally {
            qar.close();
        }
    }
}

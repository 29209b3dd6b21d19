package dev.groundwork.models.train;

import dev.groundwork.models.data.DataLoader;

import java.util.function.UnaryOperator;

/**
 * The data layer's {@link DataLoader} as a {@link BatchSource}. Its order and per-item augmentation
 * are functions of (seed, epoch, index), so nothing needs checkpointing beyond the epoch number.
 * {@code map} runs on each batch (e.g. a device move).
 */
public record LoaderSource<B>(DataLoader<?, B> loader, UnaryOperator<B> map) implements BatchSource<B> {
    public LoaderSource(DataLoader<?, B> loader) { this(loader, UnaryOperator.identity()); }

    @Override
    public int batchesPerEpoch() { return loader.batchesPerEpoch(); }

    @Override
    public Iterable<B> epoch(int epoch) {
        DataLoader<?, B>.Epoch e = loader.epoch(epoch);
        return () -> new java.util.Iterator<>() {
            public boolean hasNext() { return e.hasNext(); }

            public B next() { return map.apply(e.next()); }
        };
    }

    /** Stops the loader's workers (an epoch left early keeps them waiting otherwise). */
    @Override
    public void close() { loader.close(); }
}

package dev.groundwork.models.train;

import dev.groundwork.engine.random.Generator;

import java.util.Map;

/**
 * Where a stage's batches come from: the data layer's DataLoader (see {@link LoaderSource}) or an
 * in-memory list in tests ({@link ShuffledList}). The trainer checkpoints {@link #generators()} so a
 * source whose order or augmentation draws from a generator resumes on the same stream. Whoever builds
 * a source closes it, which ends any loading threads, also after an epoch that stopped early.
 */
public interface BatchSource<B> extends AutoCloseable {
    /** Batches in one epoch (for the progress line's ETA). */
    int batchesPerEpoch();

    /** The batches of 0-based epoch {@code epoch}, in order. */
    Iterable<B> epoch(int epoch);

    /** Generators whose state decides order or augmentation, by name; empty when it is a function of (seed, epoch). */
    default Map<String, Generator> generators() { return Map.of(); }

    /** Releases what loading holds (threads, files); nothing by default. */
    @Override
    default void close() {}
}

package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;

/**
 * Random-access items. {@code get} must be a pure function of (index, rng stream): the loader hands
 * each item its own generator derived from (seed, epoch, index), so results never depend on which
 * thread decoded the item or when. Implementations must be safe to call from several threads.
 */
public interface Dataset<T> {
    int size();

    T get(int index, Generator rng) throws DataException;
}

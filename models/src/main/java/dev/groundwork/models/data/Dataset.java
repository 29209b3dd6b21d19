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

    /**
     * Checks record {@code index} without decoding it (its fields and that the files it names exist
     * and look like what they should be), so that a run can report every bad record before its first
     * step. Throws the record's first problem; by default there is nothing to check.
     */
    default void check(int index) throws DataException {}
}

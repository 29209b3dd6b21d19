package dev.groundwork.models.data;

/** What the {@link DataLoader} does with a record whose {@code get} fails. Neither is silent. */
public enum BadRecordPolicy {
    /** Print one warning line (index, path, reason) to the warning sink and go on without the item. */
    SKIP,
    /** Stop the epoch and raise the {@link DataException}. */
    FAIL
}

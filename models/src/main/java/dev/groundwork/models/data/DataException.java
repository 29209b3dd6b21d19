package dev.groundwork.models.data;

import java.nio.file.Path;

/**
 * A bad record or unreadable input. It always names where the problem is: the dataset index
 * ({@code -1} when the whole dataset is affected, e.g. its index file is missing) and the file.
 */
public class DataException extends Exception {
    private final int index;
    private final Path path;

    public DataException(int index, Path path, String reason) {
        this(index, path, reason, null);
    }

    public DataException(int index, Path path, String reason, Throwable cause) {
        super(where(index, path) + reason, cause);
        this.index = index;
        this.path = path;
    }

    /** The dataset index of the bad record, or -1 if the problem is not tied to one record. */
    public int index() { return index; }

    /** The file involved; may be null when no file is (a synthetic dataset). */
    public Path path() { return path; }

    private static String where(int index, Path path) {
        String at = index >= 0 ? "dataset index " + index : "";
        if (path != null) at = at.isEmpty() ? path.toString() : at + " (" + path + ")";
        return at.isEmpty() ? "" : at + ": ";
    }
}

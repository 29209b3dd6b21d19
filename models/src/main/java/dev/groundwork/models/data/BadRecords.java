package dev.groundwork.models.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks every record of a dataset before training ({@link Dataset#check}) and applies the run's
 * {@link BadRecordPolicy} to all the bad ones at once: FAIL reports them together and stops before
 * the first step; SKIP says how many, lists them, writes the list beside the run's other outputs
 * and trains on the rest. Either way no bad record is found for the first time in the middle of an
 * epoch (unless it breaks only when decoded, which the loader then handles under the same policy).
 */
public final class BadRecords {
    /** How many bad records a message lists before pointing at the written list. */
    static final int SHOWN = 20;

    private BadRecords() {}

    /** Thrown under FAIL: every bad record of one dataset. */
    public static final class Found extends DataException {
        private final List<DataException> records;

        Found(Path dataset, List<DataException> records, int total, Path list) {
            super(-1, dataset, records.size() + " of " + total + " records are bad" + listing(records)
                    + (list == null ? "" : "\n  the full list is in " + list)
                    + "\n  (--bad-records skip trains on the good ones and writes the list)");
            this.records = List.copyOf(records);
        }

        public List<DataException> records() { return records; }
    }

    /**
     * The dataset to train on: {@code ds} itself when every record is good, its good records under
     * SKIP. {@code name} names the dataset in messages (its index file); {@code list} is where the bad
     * records are written (null: nowhere); {@code log} gets the SKIP summary.
     */
    public static <T> Dataset<T> screen(Dataset<T> ds, Path name, BadRecordPolicy policy, Path list, Consumer<String> log) throws DataException {
        List<DataException> bad = new ArrayList<>();
        List<Integer> good = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            try {
                ds.check(i);
                good.add(i);
            } catch (DataException e) {
                bad.add(e);
            }
        }
        if (bad.isEmpty()) return ds;
        write(list, bad);
        if (policy == BadRecordPolicy.FAIL) throw new Found(name, bad, ds.size(), list);
        log.accept("skipping " + bad.size() + " of " + ds.size() + " records of " + name + " (--bad-records skip)" + listing(bad)
                + (list == null ? "" : "\n  the full list is in " + list));
        if (good.isEmpty()) throw new DataException(-1, name, "every record is bad; nothing is left to train on");
        return new Subset<>(ds, good.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String listing(List<DataException> bad) { return list(bad.stream().map(DataException::getMessage).toList()); }

    /**
     * The first {@link #SHOWN} problems, one per indented line after a line break, then how many more:
     * how every message about many bad records lists them (training data, caption files, Visual Genome).
     */
    public static String list(List<String> problems) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN, problems.size()); i++) sb.append("\n  ").append(problems.get(i));
        if (problems.size() > SHOWN) sb.append("\n  ... and ").append(problems.size() - SHOWN).append(" more");
        return sb.toString();
    }

    private static void write(Path list, List<DataException> bad) throws DataException {
        if (list == null) return;
        StringBuilder sb = new StringBuilder();
        for (DataException e : bad) sb.append(e.getMessage()).append('\n');
        try {
            Files.createDirectories(list.toAbsolutePath().getParent());
            Files.writeString(list, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(-1, list, "cannot write the list of bad records: " + e.getMessage(), e);
        }
    }

    /** The records at {@code keep} of another dataset, renumbered 0.. in that order. */
    private record Subset<T>(Dataset<T> of, int[] keep) implements Dataset<T> {
        @Override public int size() { return keep.length; }

        @Override public T get(int index, dev.groundwork.engine.random.Generator rng) throws DataException { return of.get(keep[index], rng); }

        @Override public void check(int index) throws DataException { of.check(keep[index]); }
    }
}

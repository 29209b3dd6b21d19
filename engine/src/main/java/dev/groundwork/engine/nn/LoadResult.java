package dev.groundwork.engine.nn;

import java.util.List;

/**
 * What {@link Module#loadStateDict} found: names the module has but the dict lacks, names the dict
 * has but the module lacks, and names present in both whose shapes differ (not loaded). Each list
 * keeps the order of the module's state dict (or, for unexpected names, of the given map).
 */
public record LoadResult(List<String> missing, List<String> unexpected, List<String> mismatched) {
    public LoadResult {
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        mismatched = List.copyOf(mismatched);
    }

    /** Whether every entry matched one to one. */
    public boolean isClean() { return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty(); }
}

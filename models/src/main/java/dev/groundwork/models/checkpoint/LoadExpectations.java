package dev.groundwork.models.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a caller of {@link WeightLoader} knows will not line up, each with its reason: module parts that
 * stay at their initialisation ({@code fresh}: InterBERT's image stream when it starts from BERT) and
 * checkpoint parts that have no place on purpose ({@code discarded}: BERT's pooler and next-sentence
 * head). Keys are dotted prefixes: {@code "bert.pooler"} covers {@code bert.pooler} and every name under
 * {@code bert.pooler.}. A discarded checkpoint name is matched under any of its spellings (DataParallel
 * prefix gone, {@code gamma/beta} renamed, re-rooted), so one rule covers a file however it was saved.
 * A strict load with expectations fails on anything else that is missing, unexpected or mis-shaped.
 */
public record LoadExpectations(Map<String, String> fresh, Map<String, String> discarded) {
    /** Nothing expected: every module name must be filled and every checkpoint name placed. */
    public static final LoadExpectations NONE = new LoadExpectations(Map.of(), Map.of());

    public LoadExpectations {
        fresh = Collections.unmodifiableMap(new LinkedHashMap<>(fresh));
        discarded = Collections.unmodifiableMap(new LinkedHashMap<>(discarded));
    }

    /** These expectations and {@code more}'s; on a shared prefix, {@code more}'s reason wins. */
    public LoadExpectations and(LoadExpectations more) {
        LinkedHashMap<String, String> f = new LinkedHashMap<>(fresh), d = new LinkedHashMap<>(discarded);
        f.putAll(more.fresh);
        d.putAll(more.discarded);
        return new LoadExpectations(f, d);
    }

    /** Why a module name may stay unfilled, or null when it must be filled. */
    public String freshReason(String moduleName) { return reason(fresh, moduleName); }

    /** Why a checkpoint name (one of its spellings) may go unplaced, or null when it must find a place. */
    public String discardReason(String spelling) { return reason(discarded, spelling); }

    private static String reason(Map<String, String> rules, String name) {
        // The longest matching prefix: a narrower rule refines a wider one.
        String best = null, why = null;
        for (var e : rules.entrySet())
            if (under(name, e.getKey()) && (best == null || e.getKey().length() > best.length())) {
                best = e.getKey();
                why = e.getValue();
            }
        return why;
    }

    /** Whether {@code name} is {@code prefix} itself or lies under it. */
    static boolean under(String name, String prefix) {
        return name.equals(prefix) || name.startsWith(prefix) && name.charAt(prefix.length()) == '.';
    }
}

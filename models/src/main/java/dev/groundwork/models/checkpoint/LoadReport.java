package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.tensor.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link WeightLoader} made of a checkpoint, keyed by the checkpoint's own names:
 * <ul>
 *   <li>{@code loaded}: checkpoint name to the module state name it went into (the golden harness
 *       reads gradients back under the checkpoint's names through this map);</li>
 *   <li>{@code missing}: module state names nothing in the checkpoint fills;</li>
 *   <li>{@code fresh}: module state names left at their initialisation on purpose ({@link LoadExpectations}),
 *       each with the reason;</li>
 *   <li>{@code unexpected}: checkpoint names with no place in the module, each with the spelling it
 *       was last tried under (so a caller can match it against module groups);</li>
 *   <li>{@code mismatched}: names that found their place but have another shape (not loaded);</li>
 *   <li>{@code dropped}: names left out on purpose, each with the reason (a non-persistent buffer,
 *       a decoder tied to the word embeddings, torchvision's classifier, a caller's discarded parts);</li>
 *   <li>{@code notes}: how names were read (a prefix moved, a tied tensor loaded through another name).</li>
 * </ul>
 */
public record LoadReport(String target, Map<String, String> loaded, List<String> missing, Map<String, String> fresh,
                         Map<String, String> unexpected, List<Mismatch> mismatched, Map<String, String> dropped, List<String> notes) {

    /** A checkpoint tensor whose place in the module has another shape. */
    public record Mismatch(String checkpointName, String moduleName, int[] checkpointShape, int[] moduleShape) {
        @Override
        public String toString() {
            return checkpointName + (checkpointName.equals(moduleName) ? "" : " (as " + moduleName + ")")
                    + ": checkpoint " + Shape.str(checkpointShape) + ", module " + Shape.str(moduleShape);
        }
    }

    public LoadReport {
        loaded = Collections.unmodifiableMap(new LinkedHashMap<>(loaded));
        missing = List.copyOf(missing);
        fresh = Collections.unmodifiableMap(new LinkedHashMap<>(fresh));
        unexpected = Collections.unmodifiableMap(new LinkedHashMap<>(unexpected));
        mismatched = List.copyOf(mismatched);
        dropped = Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
        notes = List.copyOf(notes);
    }

    /** Whether every module tensor was filled and every checkpoint tensor found its place (or was dropped on purpose). */
    public boolean isClean() { return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty(); }

    /** The three kinds of problem together, then the notes: the message of a strict load that fails. */
    public String problems() {
        StringBuilder sb = new StringBuilder("cannot load the checkpoint into ").append(target).append(" (nothing was loaded):");
        if (!missing.isEmpty()) sb.append("\n  missing (").append(missing.size()).append("): ").append(missing);
        if (!unexpected.isEmpty()) sb.append("\n  unexpected (").append(unexpected.size()).append("): ").append(spelled(unexpected));
        if (!mismatched.isEmpty()) sb.append("\n  shape mismatches (").append(mismatched.size()).append("): ").append(mismatched);
        if (!dropped.isEmpty()) sb.append("\n  dropped (").append(dropped.size()).append("): ").append(dropped.keySet());
        for (String n : notes) sb.append("\n  note: ").append(n);
        return sb.toString();
    }

    /**
     * What was loaded, what stays fresh and what was dropped, each folded into modules ({@link NameGroups})
     * with the reasons, then any problem and the notes: the report a caller prints after a load.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder(target).append(":\n  loaded ").append(loaded.size()).append(" tensor(s)");
        if (!loaded.isEmpty()) sb.append(": ").append(NameGroups.compact(loaded.values()));
        byReason(sb, "fresh", fresh);
        byReason(sb, "dropped", dropped);
        if (!missing.isEmpty()) sb.append("\n  missing ").append(missing.size()).append(": ").append(NameGroups.compact(missing));
        if (!unexpected.isEmpty()) sb.append("\n  unexpected ").append(unexpected.size()).append(": ").append(NameGroups.compact(unexpected.keySet()));
        if (!mismatched.isEmpty()) sb.append("\n  shape mismatches (").append(mismatched.size()).append("): ").append(mismatched);
        for (String n : notes) sb.append("\n  note: ").append(n);
        return sb.toString();
    }

    /** One line per reason: how many names, their modules, why. */
    private static void byReason(StringBuilder sb, String what, Map<String, String> reasons) {
        LinkedHashMap<String, List<String>> groups = new LinkedHashMap<>();
        reasons.forEach((name, why) -> groups.computeIfAbsent(why, k -> new ArrayList<>()).add(name));
        groups.forEach((why, names) -> sb.append("\n  ").append(what).append(' ').append(names.size()).append(": ")
                .append(NameGroups.compact(names)).append(" (").append(why).append(')'));
    }

    private static List<String> spelled(Map<String, String> unexpected) {
        List<String> out = new ArrayList<>();
        unexpected.forEach((name, as) -> out.add(name.equals(as) ? name : name + " (read as " + as + ")"));
        return out;
    }
}

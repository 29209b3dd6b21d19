package dev.groundwork.models.checkpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensor names folded into the modules they belong to, for a report a person reads: 200 names of a
 * BERT become {@code bert.embeddings (5), bert.encoder.layer.0-11 (192), cls.predictions (5)}. A name's
 * module is its prefix up to its first numbered component ({@code bert.encoder.layer.3}), else its first
 * two components ({@code cls.predictions}); runs of consecutive numbers under one stem are then joined.
 */
final class NameGroups {
    private NameGroups() {}

    /** The groups in first-seen order, each with how many names it holds. */
    static String compact(Collection<String> names) {
        LinkedHashMap<String, Integer> groups = new LinkedHashMap<>();
        for (String n : names) groups.merge(group(n), 1, Integer::sum);
        List<String> out = new ArrayList<>();
        List<Map.Entry<String, Integer>> es = new ArrayList<>(groups.entrySet());
        for (int i = 0; i < es.size(); ) {
            String g = es.get(i).getKey();
            int count = es.get(i).getValue(), j = i + 1;
            String stem = stem(g);
            int first = stem == null ? -1 : index(g), last = first;
            while (stem != null && j < es.size() && stem.equals(stem(es.get(j).getKey())) && index(es.get(j).getKey()) == last + 1) {
                last++;
                count += es.get(j++).getValue();
            }
            out.add((last > first ? stem + first + "-" + last : g) + " (" + count + ")");
            i = j;
        }
        return String.join(", ", out);
    }

    /** The module a name belongs to. */
    static String group(String name) {
        String[] parts = name.split("\\.", -1);
        for (int i = 0; i < parts.length - 1; i++)
            if (isNumber(parts[i])) return String.join(".", List.of(parts).subList(0, i + 1));
        return parts.length <= 2 ? parts[0] : parts[0] + "." + parts[1];
    }

    /** "bert.encoder.layer." for "bert.encoder.layer.3"; null for a group that does not end in a number. */
    private static String stem(String group) {
        int dot = group.lastIndexOf('.');
        return dot >= 0 && isNumber(group.substring(dot + 1)) ? group.substring(0, dot + 1) : null;
    }

    private static int index(String group) { return Integer.parseInt(group.substring(group.lastIndexOf('.') + 1)); }

    private static boolean isNumber(String s) {
        // Up to 9 digits, so that parsing cannot overflow whatever a checkpoint names its layers.
        if (s.isEmpty() || s.length() > 9) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}

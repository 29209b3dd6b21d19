package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.nn.LoadResult;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a foreign checkpoint into a module: renames with {@link CheckpointNames}, then lines the
 * names up with the module's (a BERT checkpoint may go into a bare BertModel or into VG-BERT's
 * {@code language_model.language_model}), then calls {@link Module#loadStateDict}. Missing,
 * unexpected and shape-mismatched names come back together in the {@link LoadResult}; in strict
 * mode one exception lists them all and nothing is loaded.
 */
public final class Loader {
    private Loader() {}

    /** What happened: the engine's result, the notes of the renaming, and the prefix rewrite chosen. */
    public record Report(LoadResult result, List<String> notes, CheckpointNames.Scheme scheme, String prefixRewrite) {}

    /** Detects the naming scheme from the source names. */
    public static Report load(Module target, Map<String, Tensor> source, boolean strict) {
        return load(target, source, CheckpointNames.detect(source.keySet()), strict);
    }

    public static Report load(Module target, Map<String, Tensor> source, CheckpointNames.Scheme scheme, boolean strict) {
        CheckpointNames.Mapped<Tensor> mapped = CheckpointNames.apply(source, scheme);
        Set<String> want = target.stateDict().keySet();
        String[] best = bestRewrite(mapped.entries().keySet(), want);
        LinkedHashMap<String, Tensor> aligned = CheckpointNames.rename(mapped.entries(),
                n -> n.startsWith(best[0]) ? best[1] + n.substring(best[0].length()) : n);
        List<String> notes = new ArrayList<>(mapped.notes());
        String rewrite = best[0].isEmpty() && best[1].isEmpty() ? "" : "'" + best[0] + "' -> '" + best[1] + "'";
        if (!rewrite.isEmpty()) notes.add("renamed prefix " + rewrite + " to match the module");
        LoadResult r = target.loadStateDict(aligned, strict);
        return new Report(r, notes, scheme, rewrite);
    }

    /**
     * The (strip, add) prefix pair that makes the most source names module names. Candidates are the
     * first one to three dotted components on each side; the identity wins ties, so a checkpoint that
     * already fits is never rewritten.
     */
    static String[] bestRewrite(Set<String> source, Set<String> target) {
        Set<String> strips = prefixes(source), adds = prefixes(target);
        String[] best = {"", ""};
        int bestHits = hits(source, target, "", "");
        for (String s : strips)
            for (String a : adds) {
                if (s.equals(a)) continue;
                int h = hits(source, target, s, a);
                if (h > bestHits) { bestHits = h; best = new String[]{s, a}; }
            }
        return best;
    }

    private static int hits(Set<String> source, Set<String> target, String strip, String add) {
        int n = 0;
        for (String k : source)
            if (k.startsWith(strip) && target.contains(add + k.substring(strip.length()))) n++;
        return n;
    }

    private static Set<String> prefixes(Set<String> names) {
        Set<String> out = new LinkedHashSet<>();
        out.add("");
        for (String n : names) {
            int at = -1;
            for (int depth = 0; depth < 3; depth++) {
                at = n.indexOf('.', at + 1);
                if (at < 0) break;
                out.add(n.substring(0, at + 1));
            }
        }
        return out;
    }
}

package dev.groundwork.models.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lines a checkpoint's names up with a module's state names. Pure: names and shapes in, a plan out,
 * so every rule is tested without tensors. The rules, in the order they apply:
 * <ol>
 *   <li>A name the module has, as written, is taken as it is (our own checkpoints, InterBERT's
 *       {@code bert.*} names).</li>
 *   <li>Otherwise the name's other spellings ({@link CheckpointNames#spellings}: DataParallel
 *       {@code module.}, legacy {@code LayerNorm.gamma/beta}, HF's {@code bert.}, torchvision's
 *       {@code features.N}) are tried, least rewritten first.</li>
 *   <li>A checkpoint of a whole network may sit at another place in the module (a BERT file into
 *       VG-BERT's {@code language_model.language_model}): one prefix pair (strip, add) of up to
 *       three dotted components is chosen when it places more names than the names fit as they are,
 *       so a few stray names can never pull a rewrite their way.</li>
 *   <li>What still has no place is dropped on purpose when it is a non-persistent buffer of the
 *       module ({@code embeddings.position_ids}), a decoder of the word embeddings' shape that the
 *       module does not keep separately (a tied decoder), torchvision's classifier beside
 *       recognised {@code features.N}, or a part the caller discards ({@link LoadExpectations});
 *       anything else is unexpected.</li>
 *   <li>A module name that shares its tensor with a name that was filled (weight tying) is not
 *       missing; when the checkpoint fills several names of one tied tensor, the first in the
 *       module's order wins, as Hugging Face's re-tying after loading does.</li>
 *   <li>A module name nothing fills is fresh when the caller expects it to be, else missing.</li>
 * </ol>
 * Two checkpoint names that land on one module name are the same tensor spelled twice: an error.
 */
final class NameAlignment {
    private NameAlignment() {}

    /** What a module offers: state names with shapes (module order), tied aliases (alias to the first name of its tensor), non-persistent buffers. */
    record ModuleNames(String target, LinkedHashMap<String, int[]> state, Map<String, String> tiedTo, Set<String> nonPersistent) {}

    /** The report, and for every module name to fill, the checkpoint name whose tensor fills it. */
    record Plan(LoadReport report, LinkedHashMap<String, String> feed) {}

    /** Re-roots names under {@code strip} to {@code add}; {@link #NONE} leaves every name as it is. */
    record Reroot(String strip, String add) {
        static final Reroot NONE = new Reroot("", "");

        /** The re-rooted name, or null when the name is not under {@code strip}. */
        String apply(String n) { return n.startsWith(strip) ? add + n.substring(strip.length()) : null; }
    }

    static Plan plan(LinkedHashMap<String, int[]> source, ModuleNames module) {
        return plan(source, module, LoadExpectations.NONE);
    }

    static Plan plan(LinkedHashMap<String, int[]> source, ModuleNames module, LoadExpectations expect) {
        Set<String> state = module.state().keySet();
        LinkedHashMap<String, List<String>> spellings = new LinkedHashMap<>();
        source.keySet().forEach(n -> spellings.put(n, CheckpointNames.spellings(n)));
        Reroot reroot = bestReroot(spellings, state);
        List<String> notes = new ArrayList<>();
        if (!reroot.equals(Reroot.NONE))
            notes.add("names under '" + reroot.strip() + "' read under '" + reroot.add() + "' to fit " + module.target());

        LinkedHashMap<String, String> placed = new LinkedHashMap<>(), leftover = new LinkedHashMap<>();
        spellings.forEach((n, v) -> {
            String at = place(v, state, reroot);
            if (at != null) placed.put(n, at);
            else leftover.put(n, guess(v, reroot));
        });
        checkOneNamePerTensor(placed, module.target());

        LinkedHashMap<String, String> loaded = new LinkedHashMap<>();
        List<LoadReport.Mismatch> mismatched = new ArrayList<>();
        placed.forEach((n, at) -> {
            if (Arrays.equals(source.get(n), module.state().get(at))) loaded.put(n, at);
            else mismatched.add(new LoadReport.Mismatch(n, at, source.get(n), module.state().get(at)));
        });

        LinkedHashMap<String, String> dropped = new LinkedHashMap<>(), unexpected = new LinkedHashMap<>();
        // torchvision's classifier is dropped only beside its features, placed in the module.
        boolean torchvision = placed.keySet().stream().anyMatch(n -> CheckpointNames.isVggFeature(CheckpointNames.stripDataParallel(n)));
        leftover.forEach((n, as) -> {
            String why = dropReason(n, spellings.get(n), as, source, loaded, module, reroot, torchvision, expect);
            if (why != null) dropped.put(n, why);
            else unexpected.put(n, as);
        });

        LinkedHashMap<String, String> feed = feed(module, loaded, notes);
        Set<String> claimed = new HashSet<>(placed.values());
        List<String> missing = new ArrayList<>();
        LinkedHashMap<String, String> fresh = new LinkedHashMap<>();
        for (String name : state) {
            if (feed.containsKey(name) || claimed.contains(name)) continue;
            String why = expect.freshReason(name);
            if (why != null) fresh.put(name, why);
            else missing.add(name);
        }
        return new Plan(new LoadReport(module.target(), loaded, missing, fresh, unexpected, mismatched, dropped, notes), feed);
    }

    private static void checkOneNamePerTensor(Map<String, String> placed, String target) {
        Map<String, String> claimedBy = new HashMap<>();
        placed.forEach((n, at) -> {
            String prev = claimedBy.putIfAbsent(at, n);
            if (prev != null)
                throw new IllegalArgumentException("'" + prev + "' and '" + n + "' both name the tensor '" + at + "' of "
                        + target + "; the checkpoint holds it twice");
        });
    }

    /**
     * Module name to the checkpoint name that fills it. Names sharing one tensor form a group fed by
     * the group's first loaded name in module order; the others are fed from it too, with a note.
     */
    private static LinkedHashMap<String, String> feed(ModuleNames module, Map<String, String> loaded, List<String> notes) {
        Map<String, String> byModule = new HashMap<>(), fedGroup = new HashMap<>();
        loaded.forEach((n, at) -> byModule.put(at, n));
        for (String name : module.state().keySet()) {
            String n = byModule.get(name);
            if (n != null) fedGroup.putIfAbsent(group(name, module), n);
        }
        LinkedHashMap<String, String> feed = new LinkedHashMap<>();
        for (String name : module.state().keySet()) {
            String n = fedGroup.get(group(name, module)), own = byModule.get(name);
            if (n == null) continue;
            feed.put(name, n);
            if (own == null) notes.add(name + " is tied to " + loaded.get(n) + " in " + module.target() + "; loaded through " + n);
            else if (!own.equals(n)) notes.add(name + " is tied to " + loaded.get(n) + "; loaded from " + n + ", not from " + own);
        }
        return feed;
    }

    private static String group(String name, ModuleNames module) { return module.tiedTo().getOrDefault(name, name); }

    /** The first spelling the module has as it is; else the first that fits after the re-root; else null. */
    static String place(List<String> spellings, Set<String> names, Reroot reroot) {
        for (String v : spellings) if (names.contains(v)) return v;
        for (String v : spellings) {
            String w = reroot.apply(v);
            if (w != null && names.contains(w)) return w;
        }
        return null;
    }

    /** The spelling an unplaced name is reported under: the most rewritten one, re-rooted when it is under the strip prefix. */
    private static String guess(List<String> spellings, Reroot reroot) {
        String last = spellings.getLast(), w = reroot.apply(last);
        return w != null ? w : last;
    }

    private static String dropReason(String n, List<String> spellings, String as, LinkedHashMap<String, int[]> source,
                                     Map<String, String> loaded, ModuleNames module, Reroot reroot, boolean torchvision,
                                     LoadExpectations expect) {
        String buffer = place(spellings, module.nonPersistent(), reroot);
        if (buffer != null) return "non-persistent buffer " + buffer + ", which " + module.target() + " computes rather than loads";
        if (as.equals("decoder.weight") || as.endsWith(".decoder.weight"))
            for (var e : loaded.entrySet())
                if (e.getValue().endsWith("word_embeddings.weight") && Arrays.equals(source.get(e.getKey()), source.get(n)))
                    return "decoder tied to the word embeddings " + e.getKey() + ", which " + module.target() + " does not keep separately";
        if (torchvision && CheckpointNames.stripDataParallel(n).startsWith("classifier."))
            return "torchvision VGG classifier, which " + module.target() + " does not have";
        for (String v : spellings) {
            String why = expect.discardReason(v), w = reroot.apply(v);
            if (why == null && w != null) why = expect.discardReason(w);
            if (why != null) return why;
        }
        return null;
    }

    /**
     * The re-root that places the most names, counting only names under its strip prefix, chosen
     * only when it places more names than fit without it (identity wins ties). Candidates are the
     * prefixes of up to three dotted components of the names that do not fit, and of the module's names.
     */
    static Reroot bestReroot(Map<String, List<String>> spellings, Set<String> state) {
        int fitting = 0;
        Set<String> strips = new LinkedHashSet<>();
        for (List<String> v : spellings.values()) {
            if (v.stream().anyMatch(state::contains)) fitting++;
            else for (String s : v) prefixes(s, strips);
        }
        if (strips.isEmpty()) return Reroot.NONE;
        Set<String> adds = new LinkedHashSet<>();
        for (String n : state) prefixes(n, adds);
        Reroot best = Reroot.NONE;
        int bestHits = fitting;
        for (String s : strips)
            for (String a : adds) {
                if (s.equals(a)) continue;
                Reroot r = new Reroot(s, a);
                int hits = 0;
                for (List<String> v : spellings.values()) if (fitsAfter(v, state, r)) hits++;
                if (hits > bestHits) {
                    bestHits = hits;
                    best = r;
                }
            }
        return best;
    }

    private static boolean fitsAfter(List<String> spellings, Set<String> state, Reroot r) {
        for (String v : spellings) {
            String w = r.apply(v);
            if (w != null && state.contains(w)) return true;
        }
        return false;
    }

    /** "" and the first one to three dotted components of {@code n}, each ending in a dot. */
    private static void prefixes(String n, Set<String> out) {
        out.add("");
        int at = -1;
        for (int depth = 0; depth < 3; depth++) {
            at = n.indexOf('.', at + 1);
            if (at < 0) break;
            out.add(n.substring(0, at + 1));
        }
    }
}

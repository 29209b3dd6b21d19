package dev.groundwork.models.eval.semantic;

import dev.groundwork.engine.io.NpyArray;
import dev.groundwork.engine.io.NpyException;
import dev.groundwork.engine.io.NpyReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * SemCat as VG-BERT's evaluation ships it (spec §7.1), the four original {@code .npy} files of a folder:
 * <ul>
 *   <li>{@code semcat_word_list.npy}: {@code <U14} (N,), the words category after category (a word may
 *       appear in several categories);</li>
 *   <li>{@code semcat_category_list.npy}: {@code <U21} (K, 2), [name, word count as text], counts summing to N;</li>
 *   <li>{@code semcat_concreteness.npy}: float64 (N,), Brysbaert ratings, 2.5 where there is none;</li>
 *   <li>{@code semcat_commonword_idx.npy}: int64 (N,), an index into Brysbaert's list, selected when {@code > 0}.</li>
 * </ul>
 * Lengths that disagree, counts that are not integers or do not sum to N, and arrays of another dtype or
 * rank are errors naming the file.
 */
public record SemCat(Path dir, List<String> words, List<String> categories, int[] sizes, double[] concreteness, boolean[] selected) {
    public static final String WORDS = "semcat_word_list.npy", CATEGORIES = "semcat_category_list.npy",
            CONCRETENESS = "semcat_concreteness.npy", COMMON = "semcat_commonword_idx.npy";

    public static SemCat load(Path dir) throws IOException {
        String[] words = NpyReader.read(dir.resolve(WORDS)).requireRank(1).strings();
        NpyArray cat = NpyReader.read(dir.resolve(CATEGORIES)).requireRank(2);
        if (cat.shape()[1] != 2) throw new NpyException(cat.file() + ": expected (K, 2) rows of [name, count], found shape " + Arrays.toString(cat.shape()));
        String[] c = cat.strings();
        double[] conc = NpyReader.read(dir.resolve(CONCRETENESS)).requireRank(1).doubles();
        long[] common = NpyReader.read(dir.resolve(COMMON)).requireRank(1).longs();
        int n = words.length;
        if (conc.length != n) throw new NpyException(dir.resolve(CONCRETENESS) + ": " + conc.length + " ratings for the " + n + " words of " + WORDS);
        if (common.length != n) throw new NpyException(dir.resolve(COMMON) + ": " + common.length + " indices for the " + n + " words of " + WORDS);
        int k = cat.shape()[0];
        List<String> names = new ArrayList<>();
        int[] sizes = new int[k];
        long total = 0;
        for (int i = 0; i < k; i++) {
            names.add(c[2 * i]);
            try {
                sizes[i] = Integer.parseInt(c[2 * i + 1].strip());
            } catch (NumberFormatException e) {
                throw new NpyException(cat.file() + ": row " + i + " (" + c[2 * i] + ") has the count '" + c[2 * i + 1] + "', not an integer");
            }
            if (sizes[i] < 0) throw new NpyException(cat.file() + ": row " + i + " (" + c[2 * i] + ") has a negative count");
            total += sizes[i];
        }
        if (total != n) throw new NpyException(cat.file() + ": the category counts sum to " + total + ", not to the " + n + " words of " + WORDS);
        if (new LinkedHashSet<>(names).size() != k) throw new NpyException(cat.file() + ": a category name appears twice");
        boolean[] selected = new boolean[n];
        for (int i = 0; i < n; i++) selected[i] = common[i] > 0;
        for (int i = 0; i < n; i++)
            if (!Double.isFinite(conc[i])) throw new NpyException(dir.resolve(CONCRETENESS) + ": rating " + i + " (" + words[i] + ") is not a number");
        return new SemCat(dir, List.of(words), List.copyOf(names), sizes, conc, selected);
    }

    /** The distinct words in first-seen order (what has to be embedded). */
    public List<String> uniqueWords() { return List.copyOf(new LinkedHashSet<>(words)); }

    /** Category index of each row. */
    public int[] labels() {
        int[] l = new int[words.size()];
        for (int c = 0, at = 0; c < sizes.length; c++) for (int j = 0; j < sizes[c]; j++) l[at++] = c;
        return l;
    }

    /** This SemCat without the rows whose word is in {@code drop} (category sizes shrink with it). */
    public SemCat without(java.util.Set<String> drop) {
        if (drop.isEmpty()) return this;
        List<String> w = new ArrayList<>();
        int[] sz = new int[sizes.length], lab = labels();
        List<Double> cc = new ArrayList<>();
        List<Boolean> sel = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (drop.contains(words.get(i))) continue;
            w.add(words.get(i));
            sz[lab[i]]++;
            cc.add(concreteness[i]);
            sel.add(selected[i]);
        }
        double[] conc = cc.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] s = new boolean[sel.size()];
        for (int i = 0; i < s.length; i++) s[i] = sel.get(i);
        return new SemCat(dir, List.copyOf(w), categories, sz, conc, s);
    }
}

package dev.groundwork.models.eval.semantic;

import dev.groundwork.engine.io.NpyReader;
import dev.groundwork.models.embed.TextEmbedder;
import org.hipparchus.stat.regression.SimpleRegression;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * VG-BERT's semantic evaluation (spec §7) of any number of models side by side:
 * <ol>
 *   <li>principal axis vs concreteness on SemCat ({@link ConcretenessAxis});</li>
 *   <li>word categorisation: the silhouette of each SemCat category ({@link Silhouette}), per model, with
 *       paired Wilcoxon tests over the categories between every two models ({@link PairedTest}) and the
 *       categories that gained most over the first model;</li>
 *   <li>semantic norms when a CSLB-layout file is given ({@link FeatureNorms}, {@link NormsPrediction}):
 *       median F1 per feature type, paired tests over the features of each type;</li>
 *   <li>compositional inference ({@link Composition}) for each phrase=target probe.</li>
 * </ol>
 * Every text is embedded once per model. A text some model has no vector for is left out of every
 * model's analysis and listed in the results, so all models are scored on the same rows.
 */
public final class SemanticEvaluation {
    /** "striped horse=zebra". */
    public record Probe(String phrase, String target) {
        public static Probe parse(String s) {
            int at = s.lastIndexOf('=');
            if (at <= 0 || at == s.length() - 1 || s.substring(0, at).isBlank() || s.substring(at + 1).isBlank())
                throw new IllegalArgumentException("a probe is PHRASE=TARGET (\"striped horse=zebra\"), got '" + s + "'");
            return new Probe(s.substring(0, at).strip(), s.substring(at + 1).strip());
        }
    }

    /**
     * @param norms     a CSLB-layout feature_matrix.dat, or null to skip the norms
     * @param normTypes the feature types, or null for norms.dat beside {@code norms}
     * @param wordList  the compositional inference's candidate words (one per line, or a unicode .npy), or
     *                  null for SemCat's distinct words
     * @param nearest   neighbours listed per probe
     * @param improved  most improved categories listed per model
     */
    public record Settings(Path semcat, Path norms, Path normTypes, List<Probe> probes, Path wordList, int nearest, int improved,
                           Silhouette.Metric metric, NormsPrediction.Settings normsSettings) {}

    /** Where the run reports what it is doing. */
    public interface Log {
        void line(String text);

        /** A progress display for one labelled step, or null for none. */
        TextEmbedder.Progress progress(String label);
    }

    private SemanticEvaluation() {}

    public static SemanticResults run(List<WordVectors> models, Settings s, Log log) throws IOException {
        if (models.isEmpty()) throw new IllegalArgumentException("no model to evaluate");
        Set<String> names = new HashSet<>();
        for (WordVectors m : models) if (!names.add(m.name())) throw new IllegalArgumentException("two models are named '" + m.name() + "'");
        SemCat semcat = SemCat.load(s.semcat());
        FeatureNorms norms = s.norms() == null ? null : FeatureNorms.load(s.norms(), s.normTypes());
        List<String> candidates = s.wordList() == null ? semcat.uniqueWords() : readWords(s.wordList());

        LinkedHashSet<String> texts = new LinkedHashSet<>(semcat.uniqueWords());
        if (norms != null) norms.concepts().forEach(c -> texts.add(FeatureNorms.text(c)));
        texts.addAll(candidates);
        for (Probe p : s.probes()) { texts.add(p.phrase()); texts.add(p.target()); }
        List<String> all = List.copyOf(texts);

        List<Map<String, double[]>> vectors = new ArrayList<>();
        Set<String> missing = new java.util.TreeSet<>();
        for (WordVectors m : models) {
            log.line("embedding " + all.size() + " texts with " + m.name() + ": " + m.description());
            Map<String, double[]> v = m.vectors(all, log.progress(m.name()));
            if (v.size() * 2 < all.size())
                throw new IOException(m.name() + " has vectors for only " + v.size() + " of the " + all.size() + " texts the evaluation needs ("
                        + m.description() + ")");
            for (String t : all) if (!v.containsKey(t)) missing.add(t);
            vectors.add(v);
        }
        List<String> notes = new ArrayList<>();
        if (!missing.isEmpty()) notes.add(missing.size() + " text(s) have no vector in some model and are left out everywhere");

        SemCat used = semcat.without(missing);
        int selected = 0;
        for (boolean b : used.selected()) if (b) selected++;
        SemanticResults.Data data = new SemanticResults.Data(s.semcat().toString(), used.words().size(), used.uniqueWords().size(),
                used.categories().size(), selected, List.copyOf(missing), notes);

        List<double[][]> semcatRows = new ArrayList<>();
        for (Map<String, double[]> v : vectors) semcatRows.add(rows(used.words(), v));
        log.line("principal axis vs concreteness");
        List<SemanticResults.Concreteness> concreteness = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) concreteness.add(concreteness(models.get(m).name(), used, semcatRows.get(m)));
        log.line("word categorisation (" + s.metric() + " silhouettes over " + used.words().size() + " rows)");
        SemanticResults.Categorisation categorisation = categorisation(models, used, semcatRows, s);
        SemanticResults.Norms normsResult = norms == null ? null : norms(models, vectors, norms, missing, s, log);
        List<SemanticResults.Probe> probes = new ArrayList<>();
        List<String> words = candidates.stream().filter(w -> !missing.contains(w)).distinct().toList();
        for (Probe p : s.probes()) {
            if (missing.contains(p.phrase()) || missing.contains(p.target())) {
                notes.add("probe '" + p.phrase() + "=" + p.target() + "' skipped: no vector for it in some model");
                continue;
            }
            List<SemanticResults.ProbeResult> per = new ArrayList<>();
            for (int m = 0; m < models.size(); m++) {
                Map<String, double[]> v = vectors.get(m);
                Composition c = Composition.of(v.get(p.phrase()), words, rows(words, v), p.target(), v.get(p.target()), s.nearest());
                per.add(new SemanticResults.ProbeResult(models.get(m).name(), c.nearest(), c.targetRank(), c.targetCosine(), c.candidates()));
            }
            probes.add(new SemanticResults.Probe(p.phrase(), p.target(), per));
        }
        List<SemanticResults.Model> ms = models.stream().map(m -> new SemanticResults.Model(m.name(), m.description())).toList();
        return new SemanticResults(ms, data, concreteness, categorisation, normsResult, probes);
    }

    private static SemanticResults.Concreteness concreteness(String model, SemCat c, double[][] x) {
        ConcretenessAxis a = ConcretenessAxis.compute(x, c.concreteness(), c.sizes(), c.selected());
        List<SemanticResults.CategoryPoint> pts = new ArrayList<>();
        SimpleRegression line = new SimpleRegression();
        for (int k = 0; k < c.categories().size(); k++) {
            pts.add(new SemanticResults.CategoryPoint(c.categories().get(k), a.categoryMeanPc1()[k], a.categoryMeanConcreteness()[k], a.categoryStdPc1()[k]));
            if (Double.isFinite(a.categoryMeanPc1()[k])) line.addData(a.categoryMeanConcreteness()[k], a.categoryMeanPc1()[k]);
        }
        return new SemanticResults.Concreteness(model, a.rWord(), a.rCategory(), a.words(), a.categories(), a.explainedPc1(), pts,
                line.getSlope(), line.getIntercept());
    }

    private static SemanticResults.Categorisation categorisation(List<WordVectors> models, SemCat c, List<double[][]> rows, Settings s) {
        int[] lab = c.labels();
        long[] labels = Arrays.stream(lab).asLongStream().toArray();
        List<double[]> perCategory = new ArrayList<>();
        List<String> cats = new ArrayList<>();
        List<SemanticResults.ModelSilhouettes> out = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            Silhouette.Result r = Silhouette.compute(rows.get(m), labels, s.metric());
            if (cats.isEmpty()) for (long l : r.labels()) cats.add(c.categories().get((int) l));
            Map<String, Double> byName = new LinkedHashMap<>();
            for (int k = 0; k < cats.size(); k++) byName.put(cats.get(k), r.perLabelMean()[k]);
            double[] v = r.perLabelMean();
            perCategory.add(v);
            out.add(new SemanticResults.ModelSilhouettes(models.get(m).name(), PairedTest.median(v), Arrays.stream(v).average().orElse(Double.NaN), byName));
        }
        List<SemanticResults.Test> tests = pairs(models, perCategory, "categories");
        List<SemanticResults.Improvement> improved = new ArrayList<>();
        for (int m = 1; m < models.size(); m++) {
            double[] base = perCategory.get(0), v = perCategory.get(m);
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < cats.size(); k++) order.add(k);
            order.sort(Comparator.comparingDouble((Integer k) -> -(v[k] - base[k])).thenComparingInt(k -> k));
            List<SemanticResults.Delta> top = order.stream().limit(s.improved()).map(k -> new SemanticResults.Delta(cats.get(k), v[k] - base[k])).toList();
            improved.add(new SemanticResults.Improvement(models.get(m).name(), models.get(0).name(), top));
        }
        return new SemanticResults.Categorisation(s.metric().toString(), out, tests, improved);
    }

    private static SemanticResults.Norms norms(List<WordVectors> models, List<Map<String, double[]>> vectors, FeatureNorms norms, Set<String> missing,
                                               Settings s, Log log) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < norms.concepts().size(); i++) if (!missing.contains(FeatureNorms.text(norms.concepts().get(i)))) keep.add(i);
        boolean[][] positive = new boolean[keep.size()][];
        for (int i = 0; i < keep.size(); i++) positive[i] = norms.positive()[keep.get(i)];
        NormsPrediction.Settings ns = s.normsSettings();
        int[] features = NormsPrediction.evaluated(positive, ns);
        Map<String, Integer> perType = new TreeMap<>();
        Map<String, String> typeOf = new LinkedHashMap<>();
        for (int f : features) {
            perType.merge(norms.types().get(f), 1, Integer::sum);
            typeOf.put(norms.features().get(f), norms.types().get(f));
        }
        List<SemanticResults.ModelNorms> out = new ArrayList<>();
        List<double[]> f1s = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            double[][] x = new double[keep.size()][];
            for (int i = 0; i < keep.size(); i++) x[i] = vectors.get(m).get(FeatureNorms.text(norms.concepts().get(keep.get(i))));
            log.line("semantic norms: " + features.length + " features x " + ns.folds() + " folds with " + models.get(m).name());
            TextEmbedder.Progress p = log.progress(models.get(m).name() + " norms");
            NormsPrediction.Result r = NormsPrediction.run(x, positive, ns, p == null ? null : done -> p.update(done, features.length));
            f1s.add(r.f1());
            Map<String, Double> perFeature = new LinkedHashMap<>(), medians = new TreeMap<>();
            for (int k = 0; k < r.features().length; k++) perFeature.put(norms.features().get(r.features()[k]), r.f1()[k]);
            for (String type : perType.keySet()) medians.put(type, PairedTest.median(ofType(r.f1(), features, norms, type)));
            out.add(new SemanticResults.ModelNorms(models.get(m).name(), medians, PairedTest.median(r.f1()), perFeature));
        }
        List<SemanticResults.Test> tests = new ArrayList<>();
        for (String type : perType.keySet()) {
            List<double[]> byType = f1s.stream().map(f -> ofType(f, features, norms, type)).toList();
            tests.addAll(pairs(models, byType, type));
        }
        String predictor = "L2-regularised logistic regression (C = " + ns.c() + ") per feature on standardised embeddings, stratified "
                + ns.folds() + "-fold cross-validation (seed " + ns.seed() + "), F1 of the positive class over the pooled out-of-fold "
                + "predictions, features with at least " + ns.minPositives() + " positive concepts";
        return new SemanticResults.Norms(norms.file().toString(), predictor, ns.folds(), ns.minPositives(), ns.c(), ns.seed(), keep.size(), perType,
                typeOf, out, tests);
    }

    private static double[] ofType(double[] f1, int[] features, FeatureNorms norms, String type) {
        List<Double> v = new ArrayList<>();
        for (int k = 0; k < features.length; k++) if (norms.types().get(features[k]).equals(type)) v.add(f1[k]);
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Paired tests of every later model against every earlier one. */
    private static List<SemanticResults.Test> pairs(List<WordVectors> models, List<double[]> scores, String group) {
        List<SemanticResults.Test> out = new ArrayList<>();
        for (int a = 0; a < models.size(); a++)
            for (int b = a + 1; b < models.size(); b++) {
                PairedTest t = PairedTest.of(scores.get(a), scores.get(b));
                out.add(new SemanticResults.Test(group, models.get(a).name(), models.get(b).name(), t.n(), t.medianDifference(), t.w(), t.p()));
            }
        return out;
    }

    private static double[][] rows(List<String> words, Map<String, double[]> v) {
        double[][] x = new double[words.size()][];
        for (int i = 0; i < x.length; i++) x[i] = v.get(words.get(i));
        return x;
    }

    /** One word per line (UTF-8, blank lines skipped), or a 1-d unicode .npy. */
    static List<String> readWords(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".npy")) return List.of(NpyReader.read(file).requireRank(1).strings());
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) if (!l.isBlank()) out.add(l.strip());
        if (out.isEmpty()) throw new IOException(file + ": no words");
        return out;
    }
}

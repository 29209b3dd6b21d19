package dev.groundwork.models.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.golden.GoldenCase;
import dev.groundwork.engine.golden.GoldenCheck;
import dev.groundwork.engine.tensor.Shape;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.eval.semantic.ConcretenessAxis;
import dev.groundwork.models.eval.semantic.Pca;
import dev.groundwork.models.eval.semantic.Silhouette;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The semantic-evaluation kinds ($GW_GOLDEN/eval: pca, concreteness_pc1, silhouette; golden/README.md),
 * made with scikit-learn and SciPy in float64. There is nothing to differentiate and nothing runs on a
 * device: each case is computed by the evaluation's own classes and every output is compared as the
 * case's {@code compare} map says ("as is", or a column or row free up to its sign, possibly tied to the
 * sign chosen for another output's column), by relative L2 against the case's tolerance.
 */
final class EvalGolden {
    private EvalGolden() {}

    /** An output as float64 values with its shape. */
    record Out(double[] v, int... shape) {}

    static void run(GoldenCase c) throws IOException {
        Map<String, Out> got = outputs(c);
        JsonNode compare = new ObjectMapper().readTree(c.dir().resolve("case.json").toFile()).path("compare");
        Map<String, double[]> signs = new HashMap<>();
        // Outputs whose rule names another output's sign go after that one.
        List<String> order = c.outputs().stream().sorted((a, b) -> Boolean.compare(dependsOnOther(rule(c, compare, a), c, a) != null,
                dependsOnOther(rule(c, compare, b), c, b) != null)).toList();
        for (String o : order) {
            Out g = got.get(o);
            assertNotNull(g, c.name() + ": the evaluation produced no output '" + o + "'");
            Tensor e = c.expected().get("out." + o);
            assertNotNull(e, c.name() + ": expected.safetensors has no out." + o);
            assertArrayEquals(e.shape(), g.shape(), c.name() + " output " + o + ": shape " + Shape.str(g.shape()) + ", expected " + Shape.str(e.shape()));
            double[] exp = e.toDoubleArray(), v = g.v().clone();
            String rule = rule(c, compare, o);
            if (rule.startsWith("per column up to sign") || rule.startsWith("per row up to sign")) {
                boolean columns = rule.startsWith("per column");
                String tied = dependsOnOther(rule, c, o);
                double[] s = tied != null ? signs.get(tied) : bestSigns(exp, v, g.shape(), columns);
                if (s == null) fail(c.name() + " output " + o + ": its sign follows '" + tied + "', which has no signs");
                applySigns(v, g.shape(), columns, s);
                signs.put(o, s);
            } else if (!rule.startsWith("as is")) {
                fail(c.name() + " output " + o + ": unknown compare rule '" + rule + "'");
            }
            double rel = GoldenCheck.relL2(Tensor.of(exp, e.shape()), Tensor.of(v, g.shape()));
            if (!(rel <= c.outputsTol()))
                fail(c.name() + " output " + o + " (" + rule + "): relative L2 error " + rel + " exceeds " + c.outputsTol());
        }
    }

    private static Map<String, Out> outputs(GoldenCase c) {
        Map<String, Tensor> in = c.inputs();
        Map<String, Out> out = new LinkedHashMap<>();
        switch (c.kind()) {
            case "pca" -> {
                Tensor x = in.get("x");
                int k = c.config().path("n_components").asInt();
                Pca p = Pca.fit(rows(x), k);
                out.put("scores", new Out(flat(p.scores()), x.size(0), k));
                out.put("components", new Out(flat(p.components()), k, x.size(1)));
                out.put("explained_variance_ratio", new Out(p.explainedVarianceRatio(), k));
            }
            case "concreteness_pc1" -> {
                long[] sizes = in.get("category_sizes").toLongArray(), sel = in.get("selected").toLongArray();
                int[] s = new int[sizes.length];
                for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(sizes[i]);
                boolean[] selected = new boolean[sel.length];
                for (int i = 0; i < sel.length; i++) selected[i] = sel[i] != 0;
                ConcretenessAxis a = ConcretenessAxis.compute(rows(in.get("embeddings")), in.get("concreteness").toDoubleArray(), s, selected);
                out.put("r_word", new Out(new double[]{a.rWord()}, 1));
                out.put("r_category", new Out(new double[]{a.rCategory()}, 1));
                out.put("category_mean_pc1", new Out(a.categoryMeanPc1(), s.length));
                out.put("category_mean_concreteness", new Out(a.categoryMeanConcreteness(), s.length));
            }
            case "silhouette" -> {
                Silhouette.Result r = Silhouette.compute(rows(in.get("x")), in.get("labels").toLongArray(),
                        Silhouette.Metric.parse(c.config().path("metric").asText()));
                out.put("samples", new Out(r.samples(), r.samples().length));
                out.put("per_label_mean", new Out(r.perLabelMean(), r.perLabelMean().length));
            }
            default -> fail(c.name() + ": unknown eval kind '" + c.kind() + "'");
        }
        return out;
    }

    private static String rule(GoldenCase c, JsonNode compare, String output) {
        JsonNode r = compare.path(output);
        if (!r.isTextual()) fail(c.name() + ": case.json's compare map says nothing about '" + output + "'");
        return r.asText();
    }

    /** The other output whose signs this rule reuses ("the same sign as the scores' column"), or null. */
    private static String dependsOnOther(String rule, GoldenCase c, String self) {
        for (String o : c.outputs()) if (!o.equals(self) && rule.contains("same sign as the " + o)) return o;
        return null;
    }

    /** One sign per column (or row): the one that brings {@code got} closer to {@code expected}. */
    private static double[] bestSigns(double[] expected, double[] got, int[] shape, boolean columns) {
        int rows = shape[0], cols = shape.length > 1 ? shape[1] : 1, groups = columns ? cols : rows;
        double[] s = new double[groups];
        for (int g = 0; g < groups; g++) {
            double dot = 0;
            for (int t = 0; t < (columns ? rows : cols); t++) {
                int at = columns ? t * cols + g : g * cols + t;
                dot += expected[at] * got[at];
            }
            s[g] = dot < 0 ? -1 : 1;
        }
        return s;
    }

    private static void applySigns(double[] v, int[] shape, boolean columns, double[] s) {
        int cols = shape.length > 1 ? shape[1] : 1;
        for (int i = 0; i < v.length; i++) v[i] *= s[columns ? i % cols : i / cols];
    }

    static double[][] rows(Tensor t) {
        double[] d = t.toDoubleArray();
        int n = t.size(0), w = t.numel() / Math.max(1, n);
        double[][] r = new double[n][w];
        for (int i = 0; i < n; i++) System.arraycopy(d, i * w, r[i], 0, w);
        return r;
    }

    static double[] flat(double[][] a) {
        int w = a.length == 0 ? 0 : a[0].length;
        double[] f = new double[a.length * w];
        for (int i = 0; i < a.length; i++) System.arraycopy(a[i], 0, f, i * w, w);
        return f;
    }
}

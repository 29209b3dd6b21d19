package dev.groundwork.models.eval.semantic;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** {@link SemanticResults} as Markdown: one table per evaluation, a column per model. */
public final class ResultsMarkdown {
    private ResultsMarkdown() {}

    public static String render(SemanticResults r) {
        StringBuilder sb = new StringBuilder("# Semantic evaluation\n\n");
        for (SemanticResults.Model m : r.models()) sb.append("- **").append(m.name()).append("**: ").append(m.description()).append('\n');
        SemanticResults.Data d = r.data();
        sb.append("\nSemCat (").append(d.semcat()).append("): ").append(d.rows()).append(" rows, ").append(d.uniqueWords())
                .append(" distinct words, ").append(d.categories()).append(" categories, ").append(d.selected()).append(" with a concreteness rating.");
        if (!d.leftOut().isEmpty())
            sb.append(" Left out in every model (no vector in some model): ").append(String.join(", ", d.leftOut().subList(0, Math.min(20, d.leftOut().size()))))
                    .append(d.leftOut().size() > 20 ? ", ..." : "").append('.');
        sb.append("\n");
        for (String n : d.notes()) sb.append("\n- ").append(n);

        sb.append("\n\n## Principal axis vs concreteness (Pearson r with PC1)\n\n");
        header(sb, r.models(), "");
        row(sb, "word level", r.concreteness(), c -> f3(c.rWord()) + " (" + c.words() + ")");
        row(sb, "category level", r.concreteness(), c -> f3(c.rCategory()) + " (" + c.categories() + ")");
        row(sb, "PC1 explained variance", r.concreteness(), c -> f3(c.pc1ExplainedVariance()));

        SemanticResults.Categorisation cat = r.categorisation();
        sb.append("\n## Word categorisation (").append(cat.metric()).append(" silhouette per SemCat category)\n\n");
        header(sb, r.models(), "");
        row(sb, "median", cat.models(), m -> f3(m.median()));
        row(sb, "mean", cat.models(), m -> f3(m.mean()));
        tests(sb, cat.tests(), false);
        for (SemanticResults.Improvement i : cat.improved()) {
            sb.append("\nMost improved categories, ").append(i.model()).append(" over ").append(i.baseline()).append(": ");
            sb.append(String.join(", ", i.top().stream().map(t -> t.category() + " " + signed(t.delta())).toList())).append('\n');
        }

        if (r.norms() != null) {
            SemanticResults.Norms n = r.norms();
            sb.append("\n## Semantic norms (median F1 per feature type)\n\n").append(n.predictor()).append(". ")
                    .append(n.concepts()).append(" concepts (").append(n.file()).append(").\n\n");
            sb.append("| feature type | features |");
            for (SemanticResults.Model m : r.models()) sb.append(' ').append(m.name()).append(" |");
            sb.append("\n|---|---|").append("---|".repeat(r.models().size())).append('\n');
            n.featuresPerType().forEach((type, count) -> {
                sb.append("| ").append(type).append(" | ").append(count).append(" |");
                for (SemanticResults.ModelNorms m : n.models()) sb.append(' ').append(f3(m.medianF1().get(type))).append(" |");
                sb.append('\n');
            });
            sb.append("| all | ").append(n.featuresPerType().values().stream().mapToInt(Integer::intValue).sum()).append(" |");
            for (SemanticResults.ModelNorms m : n.models()) sb.append(' ').append(f3(m.medianF1All())).append(" |");
            sb.append('\n');
            tests(sb, n.tests(), true);
        }

        for (SemanticResults.Probe p : r.composition()) {
            sb.append("\n## Compositional inference: \"").append(p.phrase()).append("\" → ").append(p.target()).append("\n\n");
            sb.append("| model | nearest words (cosine) | ").append(p.target()).append(": rank / cosine |\n|---|---|---|\n");
            for (SemanticResults.ProbeResult m : p.models()) {
                sb.append("| ").append(m.model()).append(" | ")
                        .append(String.join(", ", m.nearest().stream().map(x -> x.word() + " " + f2(x.cosine())).toList()))
                        .append(" | ").append(m.targetRank()).append(" of ").append(m.candidates()).append(" / ").append(f2(m.targetCosine())).append(" |\n");
            }
        }
        return sb.toString();
    }

    private static void tests(StringBuilder sb, List<SemanticResults.Test> tests, boolean grouped) {
        if (tests.isEmpty()) return;
        sb.append("\nPaired Wilcoxon signed-rank tests (two-sided):\n\n| ").append(grouped ? "feature type | " : "").append("comparison | pairs | median difference | W | p |\n|---")
                .append(grouped ? "|---" : "").append("|---|---|---|---|\n");
        for (SemanticResults.Test t : tests)
            sb.append("| ").append(grouped ? t.group() + " | " : "").append(t.b()).append(" vs ").append(t.a()).append(" | ").append(t.n()).append(" | ")
                    .append(signed(t.medianDifference())).append(" | ").append(String.format(Locale.ROOT, "%.1f", t.w())).append(" | ")
                    .append(p(t.p())).append(" |\n");
    }

    private static void header(StringBuilder sb, List<SemanticResults.Model> models, String first) {
        sb.append("| ").append(first).append(" |");
        for (SemanticResults.Model m : models) sb.append(' ').append(m.name()).append(" |");
        sb.append("\n|---|").append("---|".repeat(models.size())).append('\n');
    }

    private static <T> void row(StringBuilder sb, String label, List<T> perModel, Function<T, String> cell) {
        sb.append("| ").append(label).append(" |");
        for (T t : perModel) sb.append(' ').append(cell.apply(t)).append(" |");
        sb.append('\n');
    }

    static String f3(Double v) { return v == null || !Double.isFinite(v) ? "–" : String.format(Locale.ROOT, "%.3f", v); }

    static String f2(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "–"; }

    static String signed(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.3f", v) : "–"; }

    static String p(double v) {
        if (!Double.isFinite(v)) return "–";
        return v < 1e-4 ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}

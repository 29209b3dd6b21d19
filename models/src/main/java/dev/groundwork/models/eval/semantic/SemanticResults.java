package dev.groundwork.models.eval.semantic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Every figure of one {@code gw eval semantic} run, per model, as {@code results.json} holds it (numbers
 * that are not finite are written as null, as in the metrics log). {@link ResultsMarkdown} renders the
 * same records as tables.
 *
 * @param norms null when no norms file was given
 */
public record SemanticResults(List<Model> models, Data data, List<Concreteness> concreteness, Categorisation categorisation,
                              Norms norms, List<Probe> composition) {

    /** @param description what was loaded and how it embeds */
    public record Model(String name, String description) {}

    /**
     * @param leftOut words no vector exists for in at least one model ([UNK]-only, or absent from an embedding
     *                table); left out of every model's analysis so all are compared on the same rows
     */
    public record Data(String semcat, int rows, int uniqueWords, int categories, int selected, List<String> leftOut, List<String> notes) {}

    /**
     * Spec §7.2 for one model; {@code points} are the categories of the scatter, {@code slope} and
     * {@code intercept} its least-squares line (mean PC1 against mean concreteness).
     */
    public record Concreteness(String model, double rWord, double rCategory, int words, int categories, double pc1ExplainedVariance,
                               List<CategoryPoint> points, double slope, double intercept) {}

    public record CategoryPoint(String category, double meanPc1, double meanConcreteness, double stdPc1) {}

    /** Silhouettes per SemCat category and model, paired tests between every two models, most improved categories against the first model. */
    public record Categorisation(String metric, List<ModelSilhouettes> models, List<Test> tests, List<Improvement> improved) {}

    public record ModelSilhouettes(String model, double median, double mean, Map<String, Double> perCategory) {}

    /** {@code b} against {@code a}, paired over categories (or features): median of b − a, Wilcoxon W and p. */
    public record Test(String group, String a, String b, int n, double medianDifference, double w, double p) {}

    public record Improvement(String model, String baseline, List<Delta> top) {}

    public record Delta(String category, double delta) {}

    /**
     * @param predictor       the documented protocol in words
     * @param featuresPerType features evaluated per type
     * @param featureTypes    each evaluated feature's type
     */
    public record Norms(String file, String predictor, int folds, int minPositives, double c, long seed, int concepts,
                        Map<String, Integer> featuresPerType, Map<String, String> featureTypes, List<ModelNorms> models, List<Test> tests) {}

    /** Median F1 per feature type and over all features; {@code f1} per feature. */
    public record ModelNorms(String model, Map<String, Double> medianF1, double medianF1All, Map<String, Double> f1) {}

    /** One phrase/target pair, per model. */
    public record Probe(String phrase, String target, List<ProbeResult> models) {}

    public record ProbeResult(String model, List<Composition.Neighbour> nearest, int targetRank, double targetCosine, int candidates) {}

    /** Pretty-printed JSON, non-finite numbers as null. */
    public String toJson() {
        try {
            return mapper().writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("results do not serialise", e);
        }
    }

    static ObjectMapper mapper() {
        SimpleModule finite = new SimpleModule();
        JsonSerializer<Double> doubles = new JsonSerializer<>() {
            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v == null || !Double.isFinite(v)) g.writeNull();
                else g.writeNumber(v);
            }
        };
        finite.addSerializer(Double.class, doubles);
        finite.addSerializer(double.class, doubles);
        return new ObjectMapper().registerModule(finite).enable(SerializationFeature.INDENT_OUTPUT);
    }
}

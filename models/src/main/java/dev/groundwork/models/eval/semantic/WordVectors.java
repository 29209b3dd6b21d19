package dev.groundwork.models.eval.semantic;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.embed.EmbedSettings;
import dev.groundwork.models.embed.EmbeddingFiles;
import dev.groundwork.models.embed.Embeddings;
import dev.groundwork.models.embed.TextEmbedder;
import dev.groundwork.models.language.LanguageModel;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model of an evaluation as the evaluation sees it: a name and vectors for texts. A text it has no
 * vector for (all [UNK], or absent from a table) is missing from the returned map.
 */
public interface WordVectors {
    String name();

    /** What was loaded and how it embeds, for the report. */
    String description();

    Map<String, double[]> vectors(List<String> texts, TextEmbedder.Progress progress);

    /** A model that embeds each text with {@link TextEmbedder}. */
    static WordVectors encoder(String name, LanguageModel model, EmbedSettings settings, Device device) {
        TextEmbedder e = new TextEmbedder(model, settings, device);
        EmbedSettings.Resolved r = e.settings();
        String how = r.pooling().cliName() + " pooling, layer " + r.layer() + ", " + r.maxLength() + " tokens, token type " + r.tokenType();
        return new WordVectors() {
            @Override public String name() { return name; }

            @Override public String description() { return model.description() + "; " + how; }

            @Override
            public Map<String, double[]> vectors(List<String> texts, TextEmbedder.Progress progress) {
                Embeddings out = e.embed(texts, progress);
                Map<String, double[]> m = new LinkedHashMap<>();
                for (int i = 0; i < out.texts().size(); i++) m.put(out.texts().get(i), out.row(i));
                return m;
            }
        };
    }

    /** A precomputed table ({@code gw embed}'s output): texts looked up as they are; the first row of a repeated text wins. */
    static WordVectors table(String name, EmbeddingFiles.Table table) {
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < table.texts().size(); i++) row.putIfAbsent(table.texts().get(i), i);
        return new WordVectors() {
            @Override public String name() { return name; }

            @Override public String description() { return "embedding table " + table.file() + " (" + table.texts().size() + " texts, " + table.dim() + " wide)"; }

            @Override
            public Map<String, double[]> vectors(List<String> texts, TextEmbedder.Progress progress) {
                Map<String, double[]> m = new LinkedHashMap<>();
                for (String t : texts) {
                    Integer i = row.get(t);
                    if (i != null) m.put(t, table.row(i));
                }
                return m;
            }
        };
    }
}

package dev.groundwork.models.embed;

import java.util.List;

/**
 * What {@link TextEmbedder} made of a list of texts.
 *
 * @param texts         the texts that were embedded, in their input order (row i is texts[i])
 * @param values        row-major float32 values of {@code shape}: [N, D] pooled, [N, T, D] for {@code none}
 * @param inputIds      [N, T] for {@code none} (padding 0 beyond each text's tokens), else null
 * @param attentionMask [N, T] for {@code none}, else null
 * @param unknown       texts left out because every word piece of theirs is [UNK]
 * @param empty         texts left out because they hold no token at all (blank lines)
 * @param settings      what was done, every default resolved
 */
public record Embeddings(List<String> texts, float[] values, int[] shape, long[] inputIds, long[] attentionMask,
                         List<String> unknown, List<String> empty, EmbedSettings.Resolved settings) {

    /** The vector width D. */
    public int dim() { return shape[shape.length - 1]; }

    /** Row {@code i} of a pooled result as float64. */
    public double[] row(int i) {
        if (shape.length != 2) throw new IllegalStateException("per-token embeddings have no single row per text");
        int d = shape[1];
        double[] r = new double[d];
        for (int j = 0; j < d; j++) r[j] = values[i * d + j];
        return r;
    }
}

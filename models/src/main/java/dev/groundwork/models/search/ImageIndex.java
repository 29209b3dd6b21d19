package dev.groundwork.models.search;

import dev.groundwork.engine.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An indexed image folder: one L2-normalised row per image, in sorted-path order. Scores are plain
 * dot products, i.e. cosines (spec §7.3: score = x·q).
 */
public final class ImageIndex {
    private final List<Path> paths;
    private final float[][] rows;
    private final int embedded, reused;
    private final List<String> skipped;

    ImageIndex(List<Path> paths, float[][] rows, int embedded, int reused, List<String> skipped) {
        this.paths = List.copyOf(paths);
        this.rows = rows;
        this.embedded = embedded;
        this.reused = reused;
        this.skipped = List.copyOf(skipped);
    }

    /** The images that could not be read, each as its file and reason; they are not in the index. */
    public List<String> skipped() { return skipped; }

    public int size() { return paths.size(); }

    public List<Path> paths() { return paths; }

    /** How many images this indexing run had to embed (0 when the cache covered everything). */
    public int embeddedCount() { return embedded; }

    /** How many embeddings came from the cache. */
    public int reusedCount() { return reused; }

    /** The embeddings as [N,D]. */
    public Tensor embeddings() {
        int d = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * d, d);
        return Tensor.of(flat, rows.length, d);
    }

    /**
     * The k best images for query vector q [D] (normalised here), best first; equal scores keep path
     * order so results are reproducible.
     */
    public List<Hit> top(Tensor q, int k) {
        float[] v = Queries.unit(q);
        if (rows.length > 0 && v.length != rows[0].length)
            throw new IllegalArgumentException("query has " + v.length + " dimensions, the index " + rows[0].length);
        Integer[] order = new Integer[rows.length];
        double[] score = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            order[i] = i;
            double s = 0;
            for (int j = 0; j < v.length; j++) s += (double) rows[i][j] * v[j];
            score[i] = s;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i));
        List<Hit> out = new ArrayList<>();
        for (int r = 0; r < Math.min(k, order.length); r++) out.add(new Hit(paths.get(order[r]), score[order[r]]));
        return out;
    }
}

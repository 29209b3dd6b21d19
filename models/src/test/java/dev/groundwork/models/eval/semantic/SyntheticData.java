package dev.groundwork.models.eval.semantic;

import dev.groundwork.engine.io.NpyWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small files in the real layouts: a SemCat folder of four .npy files, and CSLB's feature_matrix.dat with norms.dat. */
final class SyntheticData {
    private SyntheticData() {}

    /** K categories of {@code per} words each ("w{k}_{i}"), concreteness rising with k, every third word unrated. */
    static Path semcat(Path dir, int k, int per, Random r) throws IOException {
        Files.createDirectories(dir);
        int n = k * per;
        String[] words = new String[n];
        double[] conc = new double[n];
        long[] idx = new long[n];
        for (int c = 0, i = 0; c < k; c++)
            for (int j = 0; j < per; j++, i++) {
                words[i] = "w" + c + "_" + j;
                conc[i] = 1.5 + 3.0 * c / Math.max(1, k - 1) + 0.2 * r.nextGaussian();
                idx[i] = j % 3 == 2 ? -1 : 10 + i;
            }
        NpyWriter.writeStrings(dir.resolve(SemCat.WORDS), words);
        String[] cats = new String[2 * k];
        for (int c = 0; c < k; c++) { cats[2 * c] = "cat" + c; cats[2 * c + 1] = Integer.toString(per); }
        NpyWriter.writeStrings(dir.resolve(SemCat.CATEGORIES), cats, k, 2);
        NpyWriter.writeDoubles(dir.resolve(SemCat.CONCRETENESS), conc, n);
        NpyWriter.writeLongs(dir.resolve(SemCat.COMMON), idx, n);
        return dir;
    }

    /**
     * CSLB layout for {@code concepts}: feature f is held by the concepts whose hidden code bit (f mod 4) is set
     * and whose index falls in a band, so a space that encodes the bits predicts it; types cycle through CSLB's five.
     */
    static Path norms(Path dir, List<String> concepts, int features, Random r) throws IOException {
        Files.createDirectories(dir);
        String[] types = {"visual perceptual", "other perceptual", "functional", "encyclopaedic", "taxonomic"};
        StringBuilder m = new StringBuilder("Vectors");
        StringBuilder t = new StringBuilder("concept\tfeature\tfeature type\tPF\n");
        for (int f = 0; f < features; f++) m.append("\tfeat_").append(f);
        m.append('\n');
        for (int i = 0; i < concepts.size(); i++) {
            m.append(concepts.get(i));
            for (int f = 0; f < features; f++) {
                boolean has = ((i >> (f % 4)) & 1) == 1 && r.nextDouble() < 0.9;
                m.append('\t').append(has ? 1 + r.nextInt(20) : 0);
                if (has) t.append(concepts.get(i)).append("\tfeat_").append(f).append('\t').append(types[f % types.length]).append('\t').append(3).append('\n');
            }
            m.append('\n');
        }
        Files.writeString(dir.resolve(FeatureNorms.MATRIX), m);
        Files.writeString(dir.resolve(FeatureNorms.TYPES), t);
        return dir.resolve(FeatureNorms.MATRIX);
    }

    static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(prefix + i);
        return out;
    }
}

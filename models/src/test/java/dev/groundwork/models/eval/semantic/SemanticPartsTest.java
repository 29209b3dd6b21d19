package dev.groundwork.models.eval.semantic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluation's parts other than the golden kinds: the norms reader and predictor, the paired test, composition, SemCat's checks. */
class SemanticPartsTest {
    @TempDir Path tmp;

    @Test
    void logisticRegressionReachesItsOptimum() {
        Random r = new Random();
        int n = 60 + r.nextInt(40), d = 5 + r.nextInt(20);
        double[][] x = new double[n][d];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += (x[i][j] = r.nextGaussian()) * (j % 3 - 1);
            y[i] = s + r.nextGaussian() > 0.5;
        }
        double c = 0.5 + r.nextDouble();
        LogisticRegression lr = LogisticRegression.fit(x, y, c);
        // Stationarity of sklearn's objective: w = C sum_i y_i sigma(-y_i z_i) x_i and sum_i y_i sigma(-y_i z_i) = 0.
        // Computed here, not by the class: the largest component must be within scikit-learn's tolerance, 1e-4.
        double[] g = lr.weights().clone();
        double gb = 0;
        for (int i = 0; i < n; i++) {
            double s = y[i] ? 1 : -1, z = lr.intercept();
            for (int j = 0; j < d; j++) z += lr.weights()[j] * x[i][j];
            double t = -c * s * LogisticRegression.sigmoid(-s * z);
            for (int j = 0; j < d; j++) g[j] += t * x[i][j];
            gb += t;
        }
        double norm = Math.abs(gb);
        for (double v : g) norm = Math.max(norm, Math.abs(v));
        assertTrue(norm <= 1e-4, "largest gradient component " + norm + " at the optimum");
        assertTrue(java.util.Arrays.stream(lr.weights()).map(Math::abs).max().orElse(0) > 1e-2, "a non-trivial fit");
    }

    @Test
    void normsAreReadAndPredictedFromASpaceThatHoldsThem() throws IOException {
        Random r = new Random();
        List<String> concepts = SyntheticData.names("thing_", 48);
        Path matrix = SyntheticData.norms(tmp, concepts, 10, r);
        FeatureNorms norms = FeatureNorms.load(matrix, null);
        assertEquals(48, norms.concepts().size());
        assertEquals("visual perceptual", norms.types().get(0));
        // A space holding each concept's code bits, and one of noise.
        double[][] good = new double[48][6], noise = new double[48][6];
        for (int i = 0; i < 48; i++)
            for (int j = 0; j < 6; j++) {
                good[i][j] = (j < 4 ? ((i >> j) & 1) * 2 - 1 : 0) + 0.3 * r.nextGaussian();
                noise[i][j] = r.nextGaussian();
            }
        NormsPrediction.Settings s = new NormsPrediction.Settings(4, 5, 1.0, 7);
        NormsPrediction.Result a = NormsPrediction.run(good, norms.positive(), s, null);
        NormsPrediction.Result b = NormsPrediction.run(noise, norms.positive(), s, null);
        assertEquals(10, a.features().length);
        assertTrue(PairedTest.median(a.f1()) > 0.8, "informative space: " + java.util.Arrays.toString(a.f1()));
        assertTrue(PairedTest.median(b.f1()) < PairedTest.median(a.f1()) - 0.3, "noise: " + java.util.Arrays.toString(b.f1()));
        assertArrayEquals(a.f1(), NormsPrediction.run(good, norms.positive(), s, null).f1(), "same seed, same folds, same F1");
    }

    @Test
    void normsFilesThatDoNotParseNameTheLine() throws IOException {
        Path matrix = SyntheticData.norms(tmp, SyntheticData.names("c", 12), 3, new Random(1));
        List<String> lines = Files.readAllLines(matrix);
        Files.writeString(matrix, String.join("\n", lines.subList(0, 4)) + "\nc4\t1\tx\t0\n");
        IOException e = assertThrows(IOException.class, () -> FeatureNorms.load(matrix, null));
        assertTrue(e.getMessage().contains("feature_matrix.dat:5:") && e.getMessage().contains("'x', not a number"), e.getMessage());
        Files.writeString(matrix, String.join("\n", lines.subList(0, 3)) + "\nc3\t1\n");
        e = assertThrows(IOException.class, () -> FeatureNorms.load(matrix, null));
        assertTrue(e.getMessage().contains(":4:") && e.getMessage().contains("2 tab-separated cells, the header has 4"), e.getMessage());
        Files.writeString(matrix, "Vectors\tf1\tf1\nc\t1\t0\n");
        e = assertThrows(IOException.class, () -> FeatureNorms.load(matrix, null));
        assertTrue(e.getMessage().contains(":1:") && e.getMessage().contains("columns 2 and 3"), e.getMessage());
        Files.writeString(tmp.resolve("norms.dat"), "concept\tfeature\tPF\n");
        e = assertThrows(IOException.class, () -> FeatureNorms.load(matrix, null));
        assertTrue(e.getMessage().contains("norms.dat:1:") && e.getMessage().contains("feature type"), e.getMessage());
        Files.delete(tmp.resolve("norms.dat"));
        e = assertThrows(IOException.class, () -> FeatureNorms.load(matrix, null));
        assertTrue(e.getMessage().contains("--norm-types"), e.getMessage());
        assertEquals("bat", FeatureNorms.text("bat_(baseball)"));
        assertEquals("ice cream", FeatureNorms.text("ice_cream"));
    }

    @Test
    void pairedTestMatchesScipy() {
        // scipy 1.10.1: wilcoxon(y, x, mode='exact') -> statistic 15.0, pvalue 0.06396484375
        double[] x = {0.1, 0.5, 0.3, 0.9, 0.2, 0.45, 0.7, 0.15, 0.33, 0.8, 0.05, 0.6};
        double[] dlt = {0.05, -0.02, 0.11, 0.07, -0.09, 0.13, 0.08, 0.01, -0.04, 0.2, 0.03, 0.06};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] + dlt[i];
        PairedTest t = PairedTest.of(x, y);
        assertEquals(12, t.n());
        assertEquals(15.0, t.w());
        assertEquals(0.06396484375, t.p(), 1e-12);
        PairedTest same = PairedTest.of(x, x);
        assertEquals(1.0, same.p());
        assertEquals(0, same.n());
    }

    @Test
    void compositionRanksTheTargetAmongTheWords() {
        double[] phrase = {1, 0, 0};
        List<String> words = List.of("near", "far", "middle", "zebra");
        double[][] v = {{1, 0.1, 0}, {-1, 0, 0}, {1, 1, 0}, {1, 2, 0}};
        Composition c = Composition.of(phrase, words, v, "zebra", v[3], 2);
        assertEquals(List.of("near", "middle"), c.nearest().stream().map(Composition.Neighbour::word).toList());
        assertEquals(3, c.targetRank());
        assertEquals(1 / Math.sqrt(5), c.targetCosine(), 1e-12);
        assertEquals(4, c.candidates());
        Composition absent = Composition.of(phrase, words.subList(0, 3), java.util.Arrays.copyOf(v, 3), "zebra", v[3], 1);
        assertEquals(3, absent.targetRank());
        assertEquals(4, absent.candidates());
    }

    @Test
    void semcatFilesThatDisagreeAreNamed() throws IOException {
        Path dir = SyntheticData.semcat(tmp.resolve("sc"), 4, 6, new Random(3));
        SemCat ok = SemCat.load(dir);
        assertEquals(24, ok.words().size());
        assertEquals(16, java.util.stream.IntStream.range(0, 24).filter(i -> ok.selected()[i]).count());
        dev.groundwork.engine.io.NpyWriter.writeDoubles(dir.resolve(SemCat.CONCRETENESS), new double[23], 23);
        IOException e = assertThrows(IOException.class, () -> SemCat.load(dir));
        assertTrue(e.getMessage().contains(SemCat.CONCRETENESS) && e.getMessage().contains("23 ratings for the 24 words"), e.getMessage());
        dev.groundwork.engine.io.NpyWriter.writeFloats(dir.resolve(SemCat.CONCRETENESS), new float[24], 24);
        SemCat.load(dir);   // float32 ratings are numbers too
        String[] text = new String[24];
        java.util.Arrays.fill(text, "3.5");
        dev.groundwork.engine.io.NpyWriter.writeStrings(dir.resolve(SemCat.CONCRETENESS), text);
        e = assertThrows(IOException.class, () -> SemCat.load(dir));
        assertTrue(e.getMessage().contains(SemCat.CONCRETENESS) && e.getMessage().contains("expected numbers"), e.getMessage());
    }
}

package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.io.NpyReader;
import dev.groundwork.engine.io.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gw eval semantic on the real SemCat files: a model and gw embed's table of the same model agree; bad input is one line. */
class EvalSemanticCommandTest {
    @TempDir Path tmp;

    static Path semcat() { return SharedData.file("semcat"); }

    /**
     * The real SemCat's first {@code k} categories, written in its layout (keeps the test well under 20 s on
     * two shared cores; the whole of SemCat costs a minute of embedding per model there).
     */
    private Path semcatHead(int k) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("semcat-head"));
        String[] cats = NpyReader.read(semcat().resolve("semcat_category_list.npy")).strings();
        int n = 0;
        for (int c = 0; c < k; c++) n += Integer.parseInt(cats[2 * c + 1].strip());
        String[] words = NpyReader.read(semcat().resolve("semcat_word_list.npy")).strings();
        double[] conc = NpyReader.read(semcat().resolve("semcat_concreteness.npy")).doubles();
        long[] common = NpyReader.read(semcat().resolve("semcat_commonword_idx.npy")).longs();
        NpyWriter.writeStrings(dir.resolve("semcat_word_list.npy"), java.util.Arrays.copyOf(words, n));
        NpyWriter.writeStrings(dir.resolve("semcat_category_list.npy"), java.util.Arrays.copyOf(cats, 2 * k), k, 2);
        NpyWriter.writeDoubles(dir.resolve("semcat_concreteness.npy"), java.util.Arrays.copyOf(conc, n), n);
        NpyWriter.writeLongs(dir.resolve("semcat_commonword_idx.npy"), java.util.Arrays.copyOf(common, n), n);
        return dir;
    }

    /** CSLB layout over SemCat words: two code bits of the word index decide eight features; norms.dat types them. */
    private Path norms(List<String> concepts) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cslb"));
        String[] types = {"visual perceptual", "functional", "taxonomic", "encyclopaedic"};
        StringBuilder m = new StringBuilder("Vectors"), t = new StringBuilder("concept\tfeature\tfeature type\n");
        for (int f = 0; f < 8; f++) m.append("\thas_").append(f);
        Random r = new Random();
        for (int i = 0; i < concepts.size(); i++) {
            m.append('\n').append(concepts.get(i));
            for (int f = 0; f < 8; f++) {
                boolean has = ((i >> (f % 2)) & 1) == 1 && r.nextDouble() < 0.8;
                m.append('\t').append(has ? 2 : 0);
                if (has) t.append(concepts.get(i)).append("\thas_").append(f).append('\t').append(types[f % 4]).append('\n');
            }
        }
        Files.writeString(dir.resolve("feature_matrix.dat"), m.append('\n'));
        Files.writeString(dir.resolve("norms.dat"), t);
        return dir.resolve("feature_matrix.dat");
    }

    @Test
    void aModelAndItsEmbeddingTableGiveTheSameFigures() throws Exception {
        String vocab = TransferModelCommandsTest.vocab().toString();
        Path semcat = semcatHead(8);
        List<String> words = List.of(NpyReader.read(semcat.resolve("semcat_word_list.npy")).strings()).stream().distinct().limit(60).toList();
        Path norms = norms(words);
        CliRun e = CliRun.of(new Gw(), "embed", semcat.resolve("semcat_word_list.npy").toString(), "--text", "striped horse", "--text", "zebra",
                "--model", "untrained:demo:1", "--pooling", "object", "--out", tmp.resolve("t.safetensors").toString(), "--vocab", vocab);
        assertEquals(0, e.code(), e.err());
        CliRun r = CliRun.of(new Gw(), "eval", "semantic", "--model", "s1=untrained:demo:1", "--model", "table=" + tmp.resolve("t.safetensors"),
                "--semcat", semcat.toString(), "--norms", norms.toString(), "--folds", "3", "--min-positives", "3",
                "--out", tmp.resolve("out").toString(), "--json", "--vocab", vocab);
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode c = j.get("concreteness");
        int rows = j.get("data").get("rows").asInt();
        assertTrue(rows > 400, "rows " + rows);
        assertEquals(8, c.get(0).get("categories").asInt());
        assertEquals(c.get(0).get("rWord").asDouble(), c.get(1).get("rWord").asDouble(), 1e-9);
        assertEquals(c.get(0).get("rCategory").asDouble(), c.get(1).get("rCategory").asDouble(), 1e-9);
        // The same vectors up to float rounding (the two runs batch the words differently): silhouettes agree to 1e-5.
        JsonNode a = j.get("categorisation").get("models").get(0).get("perCategory"), b = j.get("categorisation").get("models").get(1).get("perCategory");
        assertEquals(8, b.size());
        a.fieldNames().forEachRemaining(k -> assertEquals(a.get(k).asDouble(), b.get(k).asDouble(), 1e-5, k));
        assertEquals(0, j.get("categorisation").get("tests").get(0).get("medianDifference").asDouble(), 1e-6);
        JsonNode n = j.get("norms");
        assertEquals(60, n.get("concepts").asInt());
        assertEquals(8, n.get("featureTypes").size());
        assertEquals(4, n.get("models").get(0).get("medianF1").size());
        JsonNode probe = j.get("composition").get(0);
        assertEquals("zebra", probe.get("target").asText());
        assertEquals(probe.get("models").get(0).get("targetRank").asInt(), probe.get("models").get(1).get("targetRank").asInt());
        for (String f : List.of("results.json", "results.md", "concreteness-s1.png", "concreteness-table.png", "silhouette.png", "norms.png"))
            assertTrue(Files.size(tmp.resolve("out").resolve(f)) > 500, f);
        assertTrue(Files.readString(tmp.resolve("out/results.md")).contains("| word level |"), "the Markdown table");
    }

    @Test
    void badInputIsOneLineNamingTheFileAndTheLine() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("semcat"));
        for (String f : List.of("semcat_word_list.npy", "semcat_category_list.npy", "semcat_concreteness.npy", "semcat_commonword_idx.npy"))
            Files.copy(semcat().resolve(f), copy.resolve(f));
        NpyWriter.writeLongs(copy.resolve("semcat_commonword_idx.npy"), new long[]{1, 2, 3}, 3);
        CliRun r = CliRun.of(new Gw(), "eval", "semantic", "--model", "untrained:demo", "--semcat", copy.toString(),
                "--vocab", TransferModelCommandsTest.vocab().toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("semcat_commonword_idx.npy") && r.err().contains("3 indices for the 9197 words") && r.err().lines().count() == 1, r.err());

        Files.writeString(tmp.resolve("feature_matrix.dat"), "Vectors\ta\tb\nzebra\t1\t0\nhorse\t1\n");
        Files.writeString(tmp.resolve("norms.dat"), "feature\tfeature type\na\ttaxonomic\n");
        r = CliRun.of(new Gw(), "eval", "semantic", "--model", "untrained:demo", "--semcat", semcat().toString(),
                "--norms", tmp.resolve("feature_matrix.dat").toString(), "--vocab", TransferModelCommandsTest.vocab().toString(),
                "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("feature_matrix.dat:3:") && r.err().contains("2 tab-separated cells"), r.err());

        r = CliRun.of(new Gw(), "eval", "semantic", "--model", "untrained:demo", "--metric", "manhattan");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("metric must be cosine or euclidean"), r.err());
        r = CliRun.of(new Gw(), "eval", "semantic", "--model", "x=" + tmp.resolve("none"), "--semcat", semcat().toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(tmp.resolve("none").toString()), r.err());
    }
}

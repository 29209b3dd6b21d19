package dev.groundwork.models.embed;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.golden.GoldenCheck;
import dev.groundwork.engine.io.NpyReader;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.language.LanguageModel;
import dev.groundwork.models.language.LanguageModels;
import dev.groundwork.models.text.VgBertText;
import dev.groundwork.models.vgbert.BertObject;
import dev.groundwork.models.vgbert.recipe.Demo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pooling definitions against the model run by hand, batching that does not change results, UNK handling, and the files. */
class TextEmbedderTest {
    static Path hf(String name) {
        try {
            return Path.of(TextEmbedderTest.class.getResource("/hf/" + name + "/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static LanguageModel uncased() throws IOException { return LanguageModels.open(hf("bert-tiny-uncased").toString(), null); }

    /** Random sentences over the fixture's words (fresh each run), so lengths and batches vary. */
    static List<String> sentences(int n) {
        String[] words = {"the", "a", "striped", "horse", "zebra", "car", "oven", "is", "on", "grass", "cheerful", "unable", "Paris"};
        Random r = new Random();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 1 + r.nextInt(8); w > 0; w--) sb.append(words[r.nextInt(words.length)]).append(' ');
            out.add(sb.toString().strip());
        }
        return out;
    }

    /** The last hidden state of one text alone, [T, D], with type ids 0. */
    static float[] alone(LanguageModel m, long[] ids) {
        try (var g = GradMode.noGrad()) {
            Tensor t = Tensor.ofLongs(ids, 1, ids.length);
            return m.bert().forward(t, null, Tensor.ofLongs(ones(ids.length), 1, ids.length)).lastHiddenState().contiguous().toFloatArray();
        }
    }

    static long[] ones(int n) {
        long[] o = new long[n];
        java.util.Arrays.fill(o, 1);
        return o;
    }

    @Test
    void meanAndClsPoolingAreDefinedOnTheRealTokensWhateverTheBatch() throws IOException {
        LanguageModel m = uncased();
        List<String> texts = sentences(23);
        Embeddings mean = new TextEmbedder(m, new EmbedSettings(Pooling.MEAN, null, null, 4, null), Device.CPU).embed(texts, null);
        Embeddings cls = new TextEmbedder(m, new EmbedSettings(Pooling.CLS, null, null, 7, null), Device.CPU).embed(texts, null);
        assertEquals(texts, mean.texts());
        int d = m.bert().config().hiddenSize();
        for (int i = 0; i < texts.size(); i++) {
            long[] ids = java.util.Arrays.stream(m.tokenizer().encode(texts.get(i))).asLongStream().toArray();
            float[] h = alone(m, ids);
            double[] expMean = new double[d];
            for (int p = 0; p < ids.length; p++) for (int j = 0; j < d; j++) expMean[j] += h[p * d + j] / ids.length;
            double[] expCls = new double[d];
            for (int j = 0; j < d; j++) expCls[j] = h[j];
            assertClose(expMean, mean.row(i), "mean of '" + texts.get(i) + "'");
            assertClose(expCls, cls.row(i), "cls of '" + texts.get(i) + "'");
        }
    }

    @Test
    void objectPoolingIsBertObjectsForward() throws IOException {
        Path vocab = hf("bert-tiny-uncased").resolve("vocab.txt");
        LanguageModel m = LanguageModels.open("untrained:demo:2", vocab);
        BertObject stream = Demo.untrained(2).languageModel();
        stream.eval();
        List<String> texts = new ArrayList<>(sentences(9));
        texts.add("the striped horse is on the grass on the car is a zebra");  // longer than L: loses its [SEP] as the loader cuts it
        Embeddings e = new TextEmbedder(m, new EmbedSettings(Pooling.OBJECT, null, null, 3, null), Device.CPU).embed(texts, null);
        int slots = m.phraseSlots(), o = texts.size();
        long[] ids = new long[o * slots], types = new long[o * slots], mask = new long[o * slots];
        for (int i = 0; i < o; i++) {
            VgBertText.Caption c = VgBertText.encodeCaption(m.tokenizer(), texts.get(i), slots);
            for (int t = 0; t < slots; t++) {
                ids[i * slots + t] = c.ids()[t];
                types[i * slots + t] = c.types()[t];
                mask[i * slots + t] = c.mask()[t];
            }
        }
        float[] ref;
        try (var g = GradMode.noGrad()) {
            ref = stream.forward(Tensor.ofLongs(ids, 1, o, slots), Tensor.ofLongs(types, 1, o, slots), Tensor.ofLongs(mask, 1, o, slots),
                    Tensor.ofLongs(ones(o), 1, o)).contiguous().toFloatArray();
        }
        int d = e.dim();
        for (int i = 0; i < o; i++) {
            double[] exp = new double[d];
            for (int j = 0; j < d; j++) exp[j] = ref[i * d + j];
            assertClose(exp, e.row(i), "Bert_object of '" + texts.get(i) + "'");
        }
    }

    @Test
    void perTokenStatesComeWithIdsAndMaskAndLayerZeroIsTheEmbeddings() throws IOException {
        LanguageModel m = uncased();
        List<String> texts = List.of("zebra", "the striped horse is on the grass");
        Embeddings e = new TextEmbedder(m, new EmbedSettings(Pooling.NONE, 0, null, 8, null), Device.CPU).embed(texts, null);
        int d = m.bert().config().hiddenSize();
        assertArrayEquals(new int[]{2, 9, d}, e.shape());
        assertArrayEquals(new long[]{1, 1, 1, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(e.attentionMask(), 9));
        try (var g = GradMode.noGrad()) {
            Tensor ids = Tensor.ofLongs(java.util.Arrays.copyOfRange(e.inputIds(), 9, 18), 1, 9);
            float[] emb = m.bert().embeddings().forward(ids, null).contiguous().toFloatArray();
            double rel = GoldenCheck.relL2(Tensor.of(emb, 9, d), Tensor.of(java.util.Arrays.copyOfRange(e.values(), 9 * d, 18 * d), 9, d));
            assertTrue(rel < 1e-6, "layer 0 is the embeddings' output: " + rel);
        }
        assertEquals(0f, e.values()[3 * d], "padding rows stay zero");
    }

    @Test
    void textsOfOnlyUnknownPiecesOrNoTokensAreListedNotEmbedded() throws IOException {
        LanguageModel m = uncased();
        Embeddings e = new TextEmbedder(m, new EmbedSettings(Pooling.MEAN, null, null, 2, null), Device.CPU)
                .embed(List.of("zebra", "Ωμέγα", "", "the Ωμέγα", "   ", "ΩΩ Ω"), null);
        assertEquals(List.of("zebra", "the Ωμέγα"), e.texts());
        assertEquals(List.of("Ωμέγα", "ΩΩ Ω"), e.unknown());
        assertEquals(List.of("", "   "), e.empty());
        assertEquals(2, e.shape()[0]);
    }

    @Test
    void settingsAreCheckedAgainstTheModel() throws IOException {
        LanguageModel m = uncased();
        assertThrows(IllegalArgumentException.class, () -> new TextEmbedder(m, new EmbedSettings(Pooling.MEAN, 3, null, 1, null), Device.CPU));
        assertEquals(1, new TextEmbedder(m, new EmbedSettings(Pooling.MEAN, -2, null, 1, null), Device.CPU).settings().layer());
        assertThrows(IllegalArgumentException.class, () -> new TextEmbedder(m, new EmbedSettings(Pooling.MEAN, null, 41, 1, null), Device.CPU));
        assertThrows(IllegalArgumentException.class, () -> new TextEmbedder(m, new EmbedSettings(Pooling.MEAN, null, null, 1, 2), Device.CPU));
        assertEquals(1, new TextEmbedder(m, new EmbedSettings(Pooling.OBJECT, null, null, 1, null), Device.CPU).settings().tokenType());
        assertEquals(10, new TextEmbedder(m, new EmbedSettings(Pooling.OBJECT, null, null, 1, null), Device.CPU).settings().maxLength());
    }

    @Test
    void filesRoundTripInBothFormats(@TempDir Path tmp) throws IOException {
        LanguageModel m = uncased();
        List<String> texts = sentences(5);
        Embeddings e = new TextEmbedder(m, new EmbedSettings(Pooling.MEAN, null, null, 2, null), Device.CPU).embed(texts, null);
        for (EmbeddingFiles.Format f : EmbeddingFiles.Format.values()) {
            Path out = tmp.resolve(f == EmbeddingFiles.Format.NPY ? "w.npy" : "w.safetensors");
            List<Path> files = EmbeddingFiles.write(out, e, f, Map.of("pooling", "mean"));
            assertEquals(List.of(out, tmp.resolve("w.texts.txt")), files);
            assertTrue(EmbeddingFiles.isEmbeddingFile(out));
            EmbeddingFiles.Table t = EmbeddingFiles.read(out);
            assertEquals(texts, t.texts());
            assertArrayEquals(e.values(), t.values());
        }
        Embeddings none = new TextEmbedder(m, new EmbedSettings(Pooling.NONE, null, null, 2, null), Device.CPU).embed(List.of("a zebra", "Ω"), null);
        List<Path> files = EmbeddingFiles.write(tmp.resolve("t.npy"), none, EmbeddingFiles.Format.NPY, Map.of());
        assertTrue(files.contains(tmp.resolve("t.input_ids.npy")) && files.contains(tmp.resolve("t.unknown.txt")), files.toString());
        assertArrayEquals(none.attentionMask(), NpyReader.read(tmp.resolve("t.attention_mask.npy")).longs());
        assertEquals(List.of("[UNK]\tΩ"), Files.readAllLines(tmp.resolve("t.unknown.txt")));
        Map<String, Tensor> st = TensorFiles.load(EmbeddingFiles.write(tmp.resolve("t.safetensors"), none, EmbeddingFiles.Format.SAFETENSORS, Map.of()).get(0));
        assertArrayEquals(none.inputIds(), st.get("input_ids").toLongArray());
        IOException x = assertThrows(IOException.class, () -> EmbeddingFiles.read(tmp.resolve("t.safetensors")));
        assertTrue(x.getMessage().contains("per-token"), x.getMessage());
        Files.writeString(tmp.resolve("w.texts.txt"), "one line\n");
        x = assertThrows(IOException.class, () -> EmbeddingFiles.read(tmp.resolve("w.npy")));
        assertTrue(x.getMessage().contains("must agree"), x.getMessage());
    }

    static void assertClose(double[] expected, double[] got, String what) {
        double rel = GoldenCheck.relL2(Tensor.of(expected, expected.length), Tensor.of(got, got.length));
        assertTrue(rel < 1e-5, what + ": relative L2 error " + rel);
    }
}

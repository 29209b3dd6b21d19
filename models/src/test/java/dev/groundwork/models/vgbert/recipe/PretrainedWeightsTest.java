package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertModel;
import dev.groundwork.models.checkpoint.CheckpointException;
import dev.groundwork.models.checkpoint.LoadReport;
import dev.groundwork.models.checkpoint.WeightLoadException;
import dev.groundwork.models.checkpoint.WeightLoader;
import dev.groundwork.models.language.LanguageModels;
import dev.groundwork.models.vgbert.TinyVgBert;
import dev.groundwork.models.vgbert.TwoStreamModel;
import dev.groundwork.models.vgbert.VgBertConfig;
import dev.groundwork.models.vision.Vgg16Attention;
import dev.groundwork.models.vision.Vgg16AttentionClassifier;
import dev.groundwork.models.vision.VisualConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paper's starting point in: torchvision's VGG16 as {@code vgg16-397923af.pth} is saved (torch's
 * legacy format; resources/pretrained/make_fixtures.py, tiny widths of configuration D) and a Hugging
 * Face BERT folder (resources/hf), each through the one loader with a full report.
 */
class PretrainedWeightsTest {
    /** Configuration D at the fixture's widths, with a small attention on top. */
    private static final VisualConfig TINY_D = new VisualConfig(
            List.of(2, 2, "M", 3, 3, "M", 4, 4, 4, "M", 4, 4, 4, "M", 4, 4, 4, "M"), 8, 2, 16, 4, 1e-5, 0.0);

    static Path resource(String path) {
        try {
            return Path.of(PretrainedWeightsTest.class.getResource(path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path vgg() { return resource("/pretrained/vgg16_tiny_legacy.pth"); }

    static Path hf(String name) { return resource("/hf/" + name + "/config.json").getParent(); }

    private static Map<String, float[]> values(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((n, t) -> out.put(n, t.toFloatArray()));
        return out;
    }

    @Test
    void torchvisionsLegacyFileFillsEveryConvolutionAndLeavesTheRestFresh() throws Exception {
        Vgg16Attention visual = new Vgg16Attention(TINY_D, new Generator(3));
        Map<String, float[]> before = values(visual);
        LoadReport r = PretrainedWeights.loadVgg(visual, vgg());

        Map<String, Tensor> file = WeightLoader.read(vgg());
        assertEquals(26, r.loaded().size(), r.summary());   // 13 convolutions, weight and bias
        for (int idx : new int[]{0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28})
            for (String p : new String[]{"weight", "bias"}) {
                String name = "features." + idx + "." + p;
                assertEquals("image_model." + idx + "." + p, r.loaded().get(name));
                assertArrayEquals(file.get(name).toFloatArray(), visual.stateDict().get("image_model." + idx + "." + p).toFloatArray(), name);
            }
        // Embedder and attention keep their initialisation, named fresh with the reason; the ImageNet head is dropped.
        Map<String, float[]> after = values(visual);
        for (String n : before.keySet())
            if (!n.startsWith("image_model.")) assertArrayEquals(before.get(n), after.get(n), n);
        assertTrue(r.fresh().keySet().stream().allMatch(n -> n.startsWith("embedder.") || n.startsWith("attention.")), r.summary());
        assertEquals(visual.stateDict().size() - 26, r.fresh().size());
        assertEquals(6, r.dropped().size(), r.summary());
        assertTrue(r.dropped().keySet().stream().allMatch(n -> n.startsWith("classifier.")));
        assertTrue(r.summary().contains("torchvision's ImageNet classifier"), r.summary());
    }

    /** Stage 1's model has a classifier of its own (spec 1.6: 37,632 inputs); torchvision's is dropped, never matched to it by name. */
    @Test
    void stageOnesOwnClassifierStaysFresh() throws Exception {
        Vgg16AttentionClassifier stage1 = new Vgg16AttentionClassifier(TINY_D, 6, 5, new Generator(4));
        float[] head = stage1.stateDict().get("classifier.0.weight").toFloatArray();
        LoadReport r = PretrainedWeights.loadVgg(stage1, vgg());
        assertEquals(26, r.loaded().size());
        assertArrayEquals(head, stage1.stateDict().get("classifier.0.weight").toFloatArray());
        assertTrue(r.fresh().containsKey("classifier.0.weight"), r.summary());
    }

    @Test
    void aVggOfAnotherConfigurationIsRefusedNamingTheFile() {
        Vgg16Attention demo = new Vgg16Attention(VgBertConfig.demo().visual(), new Generator(1));
        WeightLoadException e = assertThrows(WeightLoadException.class, () -> PretrainedWeights.loadVgg(demo, vgg()));
        assertTrue(e.getMessage().startsWith(vgg().toString()) && e.getMessage().contains("fits only the paper preset"), e.getMessage());
    }

    @Test
    void aFileWithoutVggFeaturesIsNotTakenForOne() {
        Path bert = hf("bert-tiny-uncased").resolve("pytorch_model.bin");
        Vgg16Attention visual = new Vgg16Attention(TINY_D, new Generator(3));
        CheckpointException e = assertThrows(CheckpointException.class, () -> PretrainedWeights.loadVgg(visual, bert));
        assertTrue(e.getMessage().contains("is not a torchvision VGG16 state dict"), e.getMessage());
    }

    @Test
    void aHuggingFaceFolderFillsTheLanguageStream() throws Exception {
        Path dir = hf("bert-tiny-uncased");
        BertModel target = new BertModel(BertConfig.fromJson(dir.resolve("config.json")), new Generator(9));
        LoadReport r = PretrainedWeights.loadBert(target, dir.toString(), dir.resolve("vocab.txt"));
        Map<String, float[]> want = values(LanguageModels.open(dir.toString(), null).bert());
        Map<String, float[]> got = values(target);
        assertEquals(want.keySet(), got.keySet());
        want.forEach((n, v) -> assertArrayEquals(v, got.get(n), n));
        assertTrue(r.isClean() && r.fresh().isEmpty(), r.summary());
        assertTrue(r.summary().contains("from BERT " + dir), r.summary());
        assertTrue(r.summary().contains("dropped 8 tensor(s) outside the language stream: cls.predictions"), r.summary());
    }

    /** The cased fixture has no pooler: VG-BERT's (unused) pooler stays fresh, said so. */
    @Test
    void aFolderWithoutAPoolerLeavesItFresh(@TempDir Path tmp) throws Exception {
        Path dir = hf("bert-tiny-cased");
        var lm = LanguageModels.open(dir.toString(), null);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < lm.tokenizer().vocab().size(); i++) tokens.add(lm.tokenizer().vocab().token(i));
        Path vocab = Files.write(tmp.resolve("vocab.txt"), tokens, StandardCharsets.UTF_8);
        BertModel target = new BertModel(lm.bert().config(), true, new Generator(2));
        float[] pooler = target.stateDict().get("pooler.dense.weight").toFloatArray();
        LoadReport r = PretrainedWeights.loadBert(target, dir.toString(), vocab);
        assertArrayEquals(pooler, target.stateDict().get("pooler.dense.weight").toFloatArray());
        assertTrue(r.fresh().containsKey("pooler.dense.weight") && r.summary().contains("never uses it"), r.summary());
    }

    @Test
    void anotherVocabularyOrOtherSizesAreRefused(@TempDir Path tmp) throws Exception {
        Path dir = hf("bert-tiny-uncased");
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("vocab.txt")));
        lines.set(7, "zzz");
        Path other = Files.write(tmp.resolve("vocab.txt"), lines);
        BertModel target = new BertModel(BertConfig.fromJson(dir.resolve("config.json")), new Generator(9));
        CheckpointException e = assertThrows(CheckpointException.class, () -> PretrainedWeights.loadBert(target, dir.toString(), other));
        assertTrue(e.getMessage().contains("token 7 is '" + Files.readAllLines(dir.resolve("vocab.txt")).get(7) + "' there and 'zzz' here"), e.getMessage());

        BertModel demo = new BertModel(VgBertConfig.demo().bert(), new Generator(9));
        e = assertThrows(CheckpointException.class, () -> PretrainedWeights.loadBert(demo, dir.toString(), dir.resolve("vocab.txt")));
        assertTrue(e.getMessage().contains("holds a BERT of 2 layers, 32 wide") && e.getMessage().contains("--bert none"), e.getMessage());
    }

    /** torchvision's file given where stage 1's weights go is named for what it is, with the flag that takes it. */
    @Test
    void torchvisionsVggGivenAsStageOneWeightsPointsToPretrainedVgg() {
        TwoStreamModel m = new TwoStreamModel(TinyVgBert.config(), 1, new Generator(0));
        var log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        var e = assertThrows(IllegalArgumentException.class, () -> Handoffs.load(Stage.TWO_STREAM, m, vgg(), log));
        assertTrue(e.getMessage().contains("is torchvision's VGG16") && e.getMessage().contains("--pretrained-vgg"), e.getMessage());
        assertFalse(e.getMessage().contains("required tensor(s) missing"), e.getMessage());
    }
}

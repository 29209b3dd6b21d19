package dev.groundwork.models.language;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.golden.GoldenCheck;
import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertModel;
import dev.groundwork.models.checkpoint.CheckpointException;
import dev.groundwork.models.checkpoint.WeightLoadException;
import dev.groundwork.models.interbert.Fusion;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.vgbert.RelationalModel;
import dev.groundwork.models.vgbert.TransferModel;
import dev.groundwork.models.vgbert.VgBertConfig;
import dev.groundwork.models.vgbert.recipe.Demo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LanguageModels#open}: Hugging Face folders as the Hub lays them out (resources/hf, made by
 * make_fixtures.py with an independent torch BERT), the language stream of every VG-BERT stage and of the
 * transfer model, InterBERT's text stream, the untrained demo, and the refusals.
 */
class LanguageModelsTest {
    static Path hf(String name) {
        try {
            return Path.of(LanguageModelsTest.class.getResource("/hf/" + name + "/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path vocab() { return hf("bert-tiny-uncased").resolve("vocab.txt"); }

    /** The folder's model against torch's numbers for the same ids: last layer, layer 1 and (if any) the pooler. */
    private static void assertMatchesTorch(LanguageModel m, Path folder) throws IOException {
        Map<String, Tensor> e = TensorFiles.load(folder.resolve("expected.safetensors"));
        try (var g = GradMode.noGrad()) {
            BertModel.Output o = m.bert().forward(e.get("input_ids"), e.get("token_type_ids"), e.get("attention_mask"));
            assertClose(e.get("last_hidden_state"), o.lastHiddenState(), "last_hidden_state");
            assertClose(e.get("hidden_state_1"), m.bert().hiddenState(e.get("input_ids"), e.get("token_type_ids"), e.get("attention_mask"), 1),
                    "hidden_states[1]");
            if (e.containsKey("pooler_output")) assertClose(e.get("pooler_output"), o.pooledOutput(), "pooler_output");
        }
    }

    private static void assertClose(Tensor expected, Tensor got, String what) {
        double rel = GoldenCheck.relL2(expected, got);
        assertTrue(rel < 2e-5, what + ": relative L2 error " + rel);
    }

    @Test
    void anUncasedHubFolderWithPretrainingHeadsAndLegacyNames() throws IOException {
        Path dir = hf("bert-tiny-uncased");
        LanguageModel m = LanguageModels.open(dir.toString(), null);
        assertEquals(LanguageModel.Origin.BERT, m.origin());
        assertEquals(0, m.tokenType());
        assertTrue(m.bert().hasPooler());
        assertTrue(m.tokenizer().normalization().lowercase());
        assertTrue(m.report().dropped().containsKey("bert.embeddings.position_ids"), m.report().dropped().toString());
        assertTrue(m.report().notes().stream().anyMatch(n -> n.contains("cls.predictions (6)") && n.contains("cls.seq_relationship (2)")),
                m.report().notes().toString());
        assertEquals(List.of("hello", "world", "!"), m.tokenizer().tokenize("Hello WORLD!"));
        assertMatchesTorch(m, dir);
    }

    @Test
    void aCasedSafetensorsFolderWithoutPoolerInFloat16() throws IOException {
        Path dir = hf("bert-tiny-cased");
        LanguageModel m = LanguageModels.open(dir.toString(), null);
        assertFalse(m.bert().hasPooler());
        assertFalse(m.bert().stateDict().keySet().stream().anyMatch(n -> n.startsWith("pooler")));
        assertFalse(m.tokenizer().normalization().lowercase());
        assertEquals(List.of("Hello", "World", "Zebra", "café", "日", "本"), m.tokenizer().tokenize("Hello World Zebra café 日本"));
        assertMatchesTorch(m, dir);
        Map<String, Tensor> e = TensorFiles.load(dir.resolve("expected.safetensors"));
        BertModel.Output o = m.bert().forward(e.get("input_ids"), null, e.get("attention_mask"));
        IllegalStateException x = assertThrows(IllegalStateException.class, o::pooledOutput);
        assertTrue(x.getMessage().contains("no pooler"), x.getMessage());
    }

    @Test
    void tokenizerConfigOverridesTheNormaliserAsBertTokenizerFastDoes(@TempDir Path tmp) throws IOException {
        Path dir = copy(hf("bert-tiny-cased"), tmp.resolve("m"));
        Files.delete(dir.resolve("tokenizer_config.json"));
        // No do_lower_case anywhere: BertTokenizerFast's default (True) replaces tokenizer.json's lowercase=false.
        assertTrue(LanguageModels.open(dir.toString(), null).tokenizer().normalization().lowercase());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false, \"strip_accents\": true}");
        var n = LanguageModels.open(dir.toString(), null).tokenizer().normalization();
        assertFalse(n.lowercase());
        assertTrue(n.stripAccents());
        assertEquals(List.of("Zebra", "cafe"), LanguageModels.open(dir.toString(), null).tokenizer().tokenize("Zebra café"));
    }

    @Test
    void everyVgBertStageGivesItsLanguageStream(@TempDir Path tmp) throws IOException {
        VgBertConfig demo = VgBertConfig.demo();
        List<Module> stages = List.of(Demo.untrained(3), new RelationalModel(demo, 1, new Generator(4)), new TransferModel(demo, new Generator(5)));
        for (Module stage : stages) {
            BertModel expected = bertOf(stage);
            // Our plain safetensors, DataParallel-style names, and a Groundwork training checkpoint.
            Path plain = tmp.resolve("plain.safetensors"), wrapped = tmp.resolve("wrapped.safetensors"), run = tmp.resolve("run.safetensors");
            TensorFiles.save(plain, stage.stateDict(), Map.of());
            Map<String, Tensor> dp = new LinkedHashMap<>();
            stage.stateDict().forEach((k, v) -> dp.put("module." + k, v));
            TensorFiles.save(wrapped, dp, Map.of());
            new Checkpoint(stage.stateDict(), Map.of(), 7, 1, Map.of(), Map.of()).save(run);
            for (Path f : List.of(plain, wrapped, run)) {
                LanguageModel m = LanguageModels.open(f.toString(), vocab());
                String what = stage.getClass().getSimpleName() + " from " + f.getFileName();
                assertEquals(LanguageModel.Origin.VG_BERT, m.origin(), what);
                assertEquals(1, m.tokenType(), what);
                assertEquals(demo.phraseSlots(), m.phraseSlots(), what);
                assertEquals(4, m.bert().config().numAttentionHeads(), what);
                assertTrue(m.report().notes().stream().anyMatch(n -> n.contains("image_model")), what + ": " + m.report().notes());
                assertSameWeights(expected, m.bert(), what);
            }
        }
    }

    @Test
    void aRunFolderMeansItsBestWeights(@TempDir Path tmp) throws IOException {
        TensorFiles.save(tmp.resolve("best.safetensors"), Demo.untrained(0).stateDict(), Map.of());
        LanguageModel m = LanguageModels.open(tmp.toString(), vocab());
        assertSameWeights(bertOf(Demo.untrained(0)), m.bert(), "best.safetensors");
    }

    @Test
    void theUntrainedDemoIsTheStageTwoInitialisation() throws IOException {
        LanguageModel m = LanguageModels.open("untrained:demo:3", vocab());
        assertEquals(LanguageModel.Origin.UNTRAINED, m.origin());
        assertSameWeights(bertOf(Demo.untrained(3)), m.bert(), "untrained:demo:3");
        assertSameWeights(bertOf(Demo.untrained(0)), LanguageModels.open("untrained:demo", vocab()).bert(), "untrained:demo");
        assertThrows(IllegalArgumentException.class, () -> LanguageModels.open("untrained:paper", vocab()));
        assertThrows(IllegalArgumentException.class, () -> LanguageModels.open("untrained:demo:x", vocab()));
    }

    @Test
    void interBertsTextStreamFromItsFolder(@TempDir Path tmp) throws IOException {
        InterBertConfig c = new InterBertConfig(160, 8, 1, 2, 2, 12, "gelu", 0.1, 0.1, 8, 2, 0.02, 6, 5, 8, 1, 2, 10, "gelu", 0.2, 0.1, 6,
                Fusion.MUL, false);
        InterBertForMultiModalPreTraining ib = new InterBertForMultiModalPreTraining(c, new Generator(9));
        Path dir = Files.createDirectories(tmp.resolve("interbert"));
        TensorFiles.save(dir.resolve("model.safetensors"), ib.stateDict(), Map.of());
        Files.writeString(dir.resolve("config.json"), """
                {"vocab_size": 160, "hidden_size": 8, "num_hidden_layers": 1, "t_num_hidden_layers": 2, "num_attention_heads": 2,
                 "intermediate_size": 12, "max_position_embeddings": 8, "v_feature_size": 6, "v_target_size": 5, "v_hidden_size": 8,
                 "v_num_hidden_layers": 1, "v_num_attention_heads": 2, "v_intermediate_size": 10, "bi_hidden_size": 6}""");
        LanguageModel m = LanguageModels.open(dir.toString(), vocab());
        assertEquals(LanguageModel.Origin.INTERBERT, m.origin());
        assertEquals(3, m.bert().config().numHiddenLayers());
        assertFalse(m.bert().hasPooler());
        Map<String, Tensor> sd = ib.stateDict(), got = m.bert().stateDict();
        for (int i = 0; i < 3; i++) {
            String n = "encoder.layer." + i + ".output.dense.weight";
            assertEquals(0, GoldenCheck.relL2(sd.get("bert." + n), got.get(n)), n);
        }
        assertTrue(m.report().notes().stream().anyMatch(n -> n.contains("bert.v_embeddings") && n.contains("bert.encoder.v_layer")),
                m.report().notes().toString());
        // The same checkpoint without its config is refused: InterBERT's sizes are not all in its tensors.
        CheckpointException e = assertThrows(CheckpointException.class, () -> LanguageModels.open(dir.resolve("model.safetensors").toString() + "x", vocab()));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        Path alone = Files.createDirectories(tmp.resolve("alone"));
        Files.copy(dir.resolve("model.safetensors"), alone.resolve("ib.safetensors"));
        e = assertThrows(CheckpointException.class, () -> LanguageModels.open(alone.resolve("ib.safetensors").toString(), vocab()));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }

    @Test
    void refusalsNameTheFileAndTheRule(@TempDir Path tmp) throws IOException {
        Path dir = copy(hf("bert-tiny-cased"), tmp.resolve("m"));
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json")).replace("\"bert\"", "\"roberta\""));
        assertMessage(() -> LanguageModels.open(dir.toString(), null), "model_type 'roberta'");
        Path shards = copy(hf("bert-tiny-cased"), tmp.resolve("s"));
        Files.writeString(shards.resolve("model.safetensors.index.json"), "{}");
        assertMessage(() -> LanguageModels.open(shards.toString(), null), "sharded");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.copy(hf("bert-tiny-cased").resolve("config.json"), empty.resolve("config.json"));
        assertMessage(() -> LanguageModels.open(empty.toString(), null), "neither model.safetensors nor pytorch_model.bin");
        assertMessage(() -> LanguageModels.open(tmp.resolve("nothing").toString(), null), "no such file or folder");
        // A width whose head count is not in the tensors, with no config.json beside it.
        Map<String, Tensor> odd = new LinkedHashMap<>();
        new BertModel(new dev.groundwork.models.bert.BertConfig(50, 24, 1, 3, 48, "gelu", 0, 0, 16, 2, 0.02, 1e-12, 0), new Generator(1))
                .stateDict().forEach(odd::put);
        TensorFiles.save(tmp.resolve("odd.safetensors"), odd, Map.of());
        assertMessage(() -> LanguageModels.open(tmp.resolve("odd.safetensors").toString(), vocab()), "config.json beside");
        // A tensor the BERT does not have is an error listing it (strict load), not dropped silently.
        Path extra = copy(hf("bert-tiny-cased"), tmp.resolve("x"));
        Map<String, Tensor> w = TensorFiles.load(extra.resolve("model.safetensors"));
        w.put("encoder.layer.0.attention.self.rotary.weight", Tensor.zeros(4));
        TensorFiles.save(extra.resolve("model.safetensors"), w, Map.of());
        WeightLoadException x = assertThrows(WeightLoadException.class, () -> LanguageModels.open(extra.toString(), null));
        assertTrue(x.getMessage().contains("rotary"), x.getMessage());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        Exception e = assertThrows(Exception.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(part), e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    static BertModel bertOf(Module stage) { return (BertModel) stage.submodule("language_model.language_model"); }

    static void assertSameWeights(BertModel expected, BertModel got, String what) {
        Map<String, Tensor> e = expected.stateDict(), g = got.stateDict();
        assertEquals(e.keySet(), g.keySet(), what);
        e.forEach((n, t) -> assertEquals(0, GoldenCheck.relL2(t, g.get(n)), what + ": " + n));
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path f : s.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }
}

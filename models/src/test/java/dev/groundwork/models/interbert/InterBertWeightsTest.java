package dev.groundwork.models.interbert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertForPreTraining;
import dev.groundwork.models.checkpoint.CheckpointException;
import dev.groundwork.models.checkpoint.CheckpointNames;
import dev.groundwork.models.checkpoint.LoadReport;
import dev.groundwork.models.checkpoint.TorchCheckpoint;
import dev.groundwork.models.checkpoint.WeightLoadException;
import dev.groundwork.models.checkpoint.WeightLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link InterBertWeights} on checkpoints torch wrote (checkpoint/interbert/make_fixtures.py): a tiny
 * BertForPreTraining folder into InterBERT (what lands where, what stays fresh, what is discarded), and
 * the original's pretraining and fine-tuned checkpoints, strictly.
 */
class InterBertWeightsTest {
    static final Path DIR = fixtures();
    static final Path BERT = DIR.resolve("bert-tiny"), PRE = DIR.resolve("pytorch_model_0.bin"), VL = DIR.resolve("pytorch_model_4.bin");

    @TempDir Path tmp;

    static Path fixtures() {
        try {
            return Path.of(InterBertWeightsTest.class.getResource("/checkpoint/interbert/interbert_config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static InterBertConfig config() { return InterBertConfig.fromJson(DIR.resolve("interbert_config.json")); }

    static InterBertForMultiModalPreTraining pretraining(long seed) { return new InterBertForMultiModalPreTraining(config(), new Generator(seed)); }

    static Map<String, Tensor> file(Path p) throws IOException { return TorchCheckpoint.load(p); }

    static void assertSameValues(Tensor want, Tensor got, String what) { assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 0f, what); }

    @Test
    void aBertFolderLandsWhereSpec16SaysAndReportsFreshAndDiscardedParts() throws Exception {
        InterBertForMultiModalPreTraining m = pretraining(3), untouched = pretraining(3);
        LoadReport r = InterBertWeights.fromBert(m, BERT);
        Map<String, Tensor> src = file(BERT.resolve("pytorch_model.bin")), got = m.stateDict(), fresh = untouched.stateDict();

        assertTrue(r.isClean(), r.problems());
        // Every BERT weight but the pooler and NSP head: 5 embedding + 4 x 16 layer + 5 MLM tensors + the stored decoder.
        assertEquals(5 + 4 * 16 + 5 + 1, r.loaded().size(), r.summary());
        assertEquals(Set.of("bert.pooler.dense.weight", "bert.pooler.dense.bias", "cls.seq_relationship.weight", "cls.seq_relationship.bias"),
                r.dropped().keySet());
        assertTrue(r.dropped().get("bert.pooler.dense.weight").contains("ReLU t_pooler"), r.dropped().toString());

        // Layers 0-1 are the single-stream ones, 2-3 the text-only ones: the names carry over as they are.
        for (int layer = 0; layer < 4; layer++) {
            String p = "bert.encoder.layer." + layer + ".";
            assertSameValues(src.get(p + "attention.self.query.weight"), got.get(p + "attention.self.query.weight"), p + "query");
            assertSameValues(src.get(p + "output.LayerNorm.gamma"), got.get(p + "output.LayerNorm.weight"), p + "gamma");
            assertSameValues(src.get(p + "intermediate.dense.bias"), got.get(p + "intermediate.dense.bias"), p + "FFN bias");
        }
        assertSameValues(src.get("bert.embeddings.LayerNorm.beta"), got.get("bert.embeddings.LayerNorm.bias"), "embedding LN");
        assertSameValues(src.get("cls.predictions.transform.LayerNorm.gamma"), got.get("cls.predictions.transform.LayerNorm.weight"), "MLM LN");
        assertSameValues(src.get("cls.predictions.bias"), got.get("cls.predictions.bias"), "MLM bias");
        assertSame(got.get("bert.embeddings.word_embeddings.weight"), got.get("cls.predictions.decoder.weight"), "still tied");
        assertSameValues(src.get("bert.embeddings.word_embeddings.weight"), got.get("cls.predictions.decoder.weight"), "decoder");

        // Everything InterBERT has and BERT has not is exactly the model's own initialisation, and reported fresh.
        Set<String> freshGroups = r.fresh().keySet().stream().map(n -> n.split("\\.")[0] + "." + n.split("\\.")[1]).collect(Collectors.toSet());
        assertEquals(Set.of("bert.v_embeddings", "bert.encoder", "bert.t_pooler", "bert.v_pooler", "cls.bi_seq_relationship", "cls.imagePredictions"), freshGroups);
        assertTrue(r.fresh().keySet().stream().filter(n -> n.startsWith("bert.encoder.")).allMatch(n -> n.startsWith("bert.encoder.v_layer.")));
        for (String n : r.fresh().keySet()) assertSameValues(fresh.get(n), got.get(n), n + " untouched");
        assertEquals(got.size(), r.loaded().size() + r.fresh().size(), "every module tensor is loaded or fresh");

        String summary = r.summary();
        assertTrue(summary.contains("loaded 75 tensor(s): bert.embeddings (5), bert.encoder.layer.0-3 (64), cls.predictions (6)"), summary);
        assertTrue(summary.contains("fresh " + r.fresh().size() + ": bert.v_embeddings (6), bert.encoder.v_layer.0 (16), bert.t_pooler (2), bert.v_pooler (2), "
                + "cls.bi_seq_relationship (2), cls.imagePredictions (6) (InterBERT's own, not in BERT"), summary);
        assertTrue(summary.contains("dropped 2: bert.pooler (2) (BERT's tanh pooler"), summary);
        assertTrue(summary.contains("dropped 2: cls.seq_relationship (2) (BERT's next-sentence head"), summary);
    }

    /** With every image key masked, the single-stream layers see text alone: InterBERT's text stream is then the BERT it came from. */
    @Test
    void withEveryImageKeyMaskedTheTextStreamIsTheBertItCameFrom() throws Exception {
        InterBertForMultiModalPreTraining ib = pretraining(5);
        InterBertWeights.fromBert(ib, BERT);
        BertForPreTraining bert = new BertForPreTraining(BertConfig.fromJson(BERT.resolve("config.json")), new Generator(6));
        assertTrue(WeightLoader.load(bert, BERT.resolve("pytorch_model.bin"), true).isClean());
        ib.eval();
        bert.eval();
        Generator g = new Generator(11);
        long[] ids = new long[2 * 7], types = new long[2 * 7], mask = new long[2 * 7], imageMask = new long[2 * 3];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + (i * 5) % 12;
            types[i] = i % 7 > 3 ? 1 : 0;
            mask[i] = i < 7 || i % 7 < 5 ? 1 : 0;
        }
        Tensor tIds = Tensor.ofLongs(ids, 2, 7), tTypes = Tensor.ofLongs(types, 2, 7), tMask = Tensor.ofLongs(mask, 2, 7);
        InterBertInputs in = new InterBertInputs(tIds, tTypes, tMask, g.normal(DType.F32, Device.CPU, 0, 1, 2, 3, 6),
                g.uniform(DType.F32, Device.CPU, 0, 1, 2, 3, 5), Tensor.ofLongs(imageMask, 2, 3));
        try (var s = GradMode.noGrad()) {
            float[] want = bert.forward(tIds, tTypes, tMask).predictionLogits().toFloatArray();
            float[] got = ib.forward(in).scores().predictionScoresT().toFloatArray();
            assertArrayEquals(want, got, 2e-5f);
        }
    }

    @Test
    void bertFilesAsTheyAreFoundLoadTheSameWay() throws Exception {
        Map<String, Tensor> legacy = file(BERT.resolve("pytorch_model.bin"));
        Map<String, Tensor> want = pretraining(1).stateDict();
        InterBertForMultiModalPreTraining fromFolder = pretraining(1);
        InterBertWeights.fromBert(fromFolder, BERT);

        // The file alone, modern names, no decoder (safetensors stores a tied tensor once), saved under DataParallel.
        Map<String, Tensor> modern = new LinkedHashMap<>();
        legacy.forEach((n, t) -> { if (!n.equals("cls.predictions.decoder.weight")) modern.put("module." + CheckpointNames.modernLayerNorm(n), t); });
        Path st = tmp.resolve("model.safetensors");
        TensorFiles.save(st, modern);
        InterBertForMultiModalPreTraining fromModern = pretraining(1);
        LoadReport r = InterBertWeights.fromBert(fromModern, st);
        assertTrue(r.isClean(), r.problems());
        assertEquals(fromFolder.stateDict().keySet(), fromModern.stateDict().keySet());
        fromFolder.stateDict().forEach((n, t) -> assertSameValues(t, fromModern.stateDict().get(n), n));

        // A BertModel file (no bert. prefix, no heads): the MLM transform and bias stay fresh, and the report says why.
        Map<String, Tensor> bare = new LinkedHashMap<>();
        legacy.forEach((n, t) -> { if (n.startsWith("bert.")) bare.put(n.substring(5), t); });
        Path bareFile = tmp.resolve("bert_model.safetensors");
        TensorFiles.save(bareFile, bare);
        InterBertForMultiModalPreTraining fromBare = pretraining(1);
        LoadReport b = InterBertWeights.fromBert(fromBare, bareFile);
        assertTrue(b.isClean(), b.problems());
        assertEquals(Set.of("pooler.dense.weight", "pooler.dense.bias"), b.dropped().keySet());
        assertTrue(b.fresh().get("cls.predictions.transform.dense.weight").contains("no MLM head"), b.fresh().toString());
        assertSameValues(want.get("cls.predictions.bias"), fromBare.stateDict().get("cls.predictions.bias"), "fresh MLM bias");
        assertSameValues(legacy.get("bert.encoder.layer.3.output.dense.weight"), fromBare.stateDict().get("bert.encoder.layer.3.output.dense.weight"), "layer 3");
        assertSameValues(legacy.get("bert.embeddings.word_embeddings.weight"), fromBare.stateDict().get("cls.predictions.decoder.weight"), "tied decoder");
    }

    @Test
    void aFolderPrefersSafetensorsAndChecksItsConfig() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bert"));
        Map<String, Tensor> legacy = file(BERT.resolve("pytorch_model.bin")), shifted = new LinkedHashMap<>();
        legacy.forEach((n, t) -> shifted.put(n, t.add(1)));
        Files.copy(BERT.resolve("pytorch_model.bin"), dir.resolve("pytorch_model.bin"));
        TensorFiles.save(dir.resolve("model.safetensors"), shifted);
        ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(BERT.resolve("config.json").toFile());
        Files.writeString(dir.resolve("config.json"), cfg.toString());
        InterBertForMultiModalPreTraining m = pretraining(1);
        InterBertWeights.fromBert(m, dir);
        assertSameValues(shifted.get("bert.encoder.layer.1.attention.self.key.weight"), m.stateDict().get("bert.encoder.layer.1.attention.self.key.weight"), "safetensors chosen");

        // A head count is invisible in the weights: the config catches it, with every difference named.
        cfg.put("num_attention_heads", 4).put("num_hidden_layers", 6);
        Files.writeString(dir.resolve("config.json"), cfg.toString());
        InterBertForMultiModalPreTraining n = pretraining(1);
        float[] before = n.stateDict().get("bert.encoder.layer.0.attention.self.key.weight").toFloatArray();
        var e = assertThrows(CheckpointException.class, () -> InterBertWeights.fromBert(n, dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": this BERT does not fit the InterBERT model: "), e.getMessage());
        assertTrue(e.getMessage().contains("num_hidden_layers 6, InterBERT's text stack has 4 (2 single-stream + 2 text-only layers)"), e.getMessage());
        assertTrue(e.getMessage().contains("num_attention_heads 4, InterBERT's text stack has 2"), e.getMessage());
        assertArrayEquals(before, n.stateDict().get("bert.encoder.layer.0.attention.self.key.weight").toFloatArray(), "nothing loaded");

        Files.writeString(dir.resolve("config.json"), "{\"hidden_act\": \"relu\"}");
        e = assertThrows(CheckpointException.class, () -> InterBertWeights.fromBert(n, dir));
        assertTrue(e.getMessage().contains("config.json: not a usable BERT config: hidden_act 'relu'"), e.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(CheckpointException.class, () -> InterBertWeights.fromBert(n, empty));
        assertEquals(empty + ": a folder without weights: expected model.safetensors or pytorch_model.bin", e.getMessage());
        Files.writeString(empty.resolve("pytorch_model.bin.index.json"), "{}");
        e = assertThrows(CheckpointException.class, () -> InterBertWeights.fromBert(n, empty));
        assertTrue(e.getMessage().contains("sharded checkpoint (pytorch_model.bin.index.json), which is not supported"), e.getMessage());
    }

    @Test
    void aBertThatDoesNotFitOrIsNotBertIsRefused() throws Exception {
        // Two text layers where the file has four, the file alone (no config to check): the extra layers are named.
        InterBertConfig small = new InterBertConfig(13, 8, 1, 1, 2, 12, "gelu", 0.1, 0.1, 10, 2, 0.02, 6, 5, 8, 1, 2, 10, "gelu", 0.2, 0.1, 6, Fusion.MUL, false);
        InterBertForMultiModalPreTraining m = new InterBertForMultiModalPreTraining(small, new Generator(1));
        Path file = BERT.resolve("pytorch_model.bin");
        var e = assertThrows(WeightLoadException.class, () -> InterBertWeights.fromBert(m, file));
        assertTrue(e.getMessage().startsWith(file + ": cannot load the checkpoint into InterBertForMultiModalPreTraining (nothing was loaded)"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected (32): [bert.encoder.layer.2.attention.self.query.weight"), e.getMessage());
        assertFalse(e.getMessage().contains("missing"), "only the extra layers: " + e.getMessage());

        var notBert = assertThrows(CheckpointException.class, () -> InterBertWeights.fromBert(pretraining(1), PRE));
        assertEquals(PRE + ": an InterBERT checkpoint, not BERT: load it with InterBertWeights.load (or fineTuneFrom)", notBert.getMessage());
    }

    @Test
    void theOriginalPretrainingCheckpointLoadsStrictlyWithOrWithoutDataParallel() throws Exception {
        Map<String, Tensor> src = file(PRE);
        InterBertForMultiModalPreTraining a = pretraining(1), b = pretraining(2);
        LoadReport r = InterBertWeights.load(a, PRE, true);
        assertTrue(r.isClean() && r.fresh().isEmpty() && r.dropped().isEmpty(), r.summary());
        assertEquals(src.size(), r.loaded().size(), "the stored decoder included");
        assertEquals(src.keySet(), a.stateDict().keySet(), "the original's names are the module's");
        src.forEach((n, t) -> assertSameValues(t, a.stateDict().get(n), n));

        LoadReport dp = InterBertWeights.load(b, DIR.resolve("pytorch_model_0_dataparallel.bin"), true);
        assertTrue(dp.isClean(), dp.problems());
        assertEquals("bert.encoder.v_layer.0.output.dense.weight", dp.loaded().get("module.bert.encoder.v_layer.0.output.dense.weight"));
        a.stateDict().forEach((n, t) -> assertSameValues(t, b.stateDict().get(n), n));
    }

    @Test
    void fineTunedCheckpointsRawAndEmaLoadStrictly() throws Exception {
        for (String name : List.of("pytorch_model_4.bin", "pytorch_model_4_ema.bin")) {
            Map<String, Tensor> src = file(DIR.resolve(name));
            InterBertForVLTasks m = new InterBertForVLTasks(config(), 1, new Generator(1));
            LoadReport r = InterBertWeights.load(m, DIR.resolve(name), true);
            assertTrue(r.isClean() && r.fresh().isEmpty(), r.summary());
            src.forEach((n, t) -> assertSameValues(t, m.stateDict().get(n), name + " " + n));
            assertSame(m.stateDict().get("bert.embeddings.word_embeddings.weight"), m.stateDict().get("cls.predictions.decoder.weight"));
        }
    }

    @Test
    void theWrongNetworkFailsNamingWhatTheFileHoldsAndLoadsNothing() throws Exception {
        InterBertForMultiModalPreTraining pre = pretraining(1);
        float[] before = pre.stateDict().get("bert.t_pooler.dense.weight").toFloatArray();
        var e = assertThrows(WeightLoadException.class, () -> InterBertWeights.load(pre, VL, true));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(VL + ": the file holds InterBertForVLTasks, the model is InterBertForMultiModalPreTraining; cannot load"), msg);
        assertTrue(msg.contains("unexpected (8): [vil_prediction.weight, vil_prediction.bias, vil_logit.weight, vil_logit.bias, vision_logit.weight"), msg);
        assertArrayEquals(before, pre.stateDict().get("bert.t_pooler.dense.weight").toFloatArray(), "nothing loaded");

        InterBertForVLTasks vl = new InterBertForVLTasks(config(), 1, new Generator(1));
        e = assertThrows(WeightLoadException.class, () -> InterBertWeights.load(vl, PRE, true));
        assertTrue(e.getMessage().contains("the file holds InterBertForMultiModalPreTraining, the model is InterBertForVLTasks (fine-tune from it with InterBertWeights.fineTuneFrom)"), e.getMessage());
        assertTrue(e.getMessage().contains("missing (8): [vil_prediction.weight"), e.getMessage());

        e = assertThrows(WeightLoadException.class, () -> InterBertWeights.load(vl, BERT, true));
        assertTrue(e.getMessage().contains("the file holds BERT (BertForPreTraining), not InterBERT: start from it with InterBertWeights.fromBert"), e.getMessage());

        // Fine-tuning from the pretraining checkpoint: the four heads fresh, everything else loaded.
        LoadReport r = InterBertWeights.fineTuneFrom(vl, PRE);
        assertEquals(List.of("vil_prediction.weight", "vil_prediction.bias", "vil_logit.weight", "vil_logit.bias", "vision_logit.weight",
                "vision_logit.bias", "linguisic_logit.weight", "linguisic_logit.bias"), List.copyOf(r.fresh().keySet()));
        assertTrue(r.isClean(), r.problems());
        assertSameValues(file(PRE).get("cls.bi_seq_relationship.weight"), vl.stateDict().get("cls.bi_seq_relationship.weight"), "ITM head");
    }

    @Test
    void aStoredDecoderMustHoldTheWordEmbeddingsAndMayBeLeftOut() throws Exception {
        Map<String, Tensor> src = new LinkedHashMap<>(file(PRE));
        src.remove("cls.predictions.decoder.weight");
        Path without = tmp.resolve("without_decoder.safetensors");
        TensorFiles.save(without, src);
        InterBertForMultiModalPreTraining m = pretraining(1);
        assertTrue(InterBertWeights.load(m, without, true).isClean());
        assertSameValues(src.get("bert.embeddings.word_embeddings.weight"), m.stateDict().get("cls.predictions.decoder.weight"), "tied");

        src.put("cls.predictions.decoder.weight", src.get("bert.embeddings.word_embeddings.weight").add(1e-3));
        Path differing = tmp.resolve("differing_decoder.safetensors");
        TensorFiles.save(differing, src);
        InterBertForMultiModalPreTraining n = pretraining(1);
        float[] before = n.stateDict().get("bert.embeddings.word_embeddings.weight").toFloatArray();
        var e = assertThrows(WeightLoadException.class, () -> InterBertWeights.load(n, differing, true));
        assertTrue(e.getMessage().contains("'cls.predictions.decoder.weight' and 'bert.embeddings.word_embeddings.weight' fill one tensor"
                + " of InterBertForMultiModalPreTraining (tied) but hold different values"), e.getMessage());
        assertTrue(e.getMessage().startsWith(differing.toString()), e.getMessage());
        assertArrayEquals(before, n.stateDict().get("bert.embeddings.word_embeddings.weight").toFloatArray(), "nothing loaded");
    }

    @Test
    void aForbiddenPickleGlobalIsRefusedNamingTheFile() throws Exception {
        Path evil = Path.of(InterBertWeightsTest.class.getResource("/checkpoint/evil_os_system.pt").toURI());
        var e = assertThrows(IOException.class, () -> InterBertWeights.load(pretraining(1), evil, true));
        assertTrue(e.getMessage().contains(evil.toString()) && e.getMessage().contains("posix.system"), e.getMessage());
        e = assertThrows(IOException.class, () -> InterBertWeights.fromBert(pretraining(1), evil));
        assertTrue(e.getMessage().contains("posix.system"), e.getMessage());
    }
}

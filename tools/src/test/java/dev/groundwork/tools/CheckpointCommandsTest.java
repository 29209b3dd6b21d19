package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.io.SafeTensorsFile;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.checkpoint.TorchCheckpoint;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.interbert.InterBertWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gw inspect and gw convert run in-process on the PyTorch-made fixtures of the models module. */
class CheckpointCommandsTest {
    static final Path FIXTURES = Path.of("../models/src/test/resources/checkpoint").toAbsolutePath().normalize();

    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run gw(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Gw.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void inspectTorchFileAsText() {
        Run r = gw("inspect", FIXTURES.resolve("views_dtypes.pt").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pytorch zip"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("half ") && l.contains("F16") && l.contains("[3, 5]") && l.endsWith("15")), r.out());
        assertTrue(r.out().contains("11 tensors, 86 parameters"), r.out());
    }

    @Test
    void inspectJsonWithFilterAndWrappedValues() throws Exception {
        Run r = gw("inspect", "--json", "--filter", "module.image_model*", FIXTURES.resolve("vgbert_stage1.pth.tar").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("state_dict", j.get("state_dict_key").asText());
        assertEquals(3, j.get("values").get("epoch").asInt());
        assertEquals(4, j.get("count").asInt());
        assertEquals(54 + 2 + 36 + 2, j.get("parameters").asLong());
        assertEquals("module.image_model.0.weight", j.get("tensors").get(0).get("name").asText());
        assertEquals("F32", j.get("tensors").get(0).get("dtype").asText());
    }

    @Test
    void convertThenInspectRoundTripsEveryTensor() throws Exception {
        Path in = FIXTURES.resolve("views_dtypes.pt"), out = tmp.resolve("views.safetensors");
        Run c = gw("convert", in.toString(), out.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("11 tensors"), c.out());
        Map<String, Tensor> want = TorchCheckpoint.load(in), got = TensorFiles.load(out);
        assertEquals(want.keySet().stream().toList(), got.keySet().stream().toList());
        for (String n : want.keySet()) {
            assertArrayEquals(want.get(n).shape(), got.get(n).shape(), n);
            if (want.get(n).dtype().isFloating()) assertArrayEquals(want.get(n).toDoubleArray(), got.get(n).toDoubleArray(), 0.0, n);
            else assertArrayEquals(want.get(n).toLongArray(), got.get(n).toLongArray(), n);
        }
        try (SafeTensorsFile f = SafeTensorsFile.open(out)) {
            assertEquals("F16", f.entry("half").dtype(), "stored dtype kept");
            assertEquals("BOOL", f.entry("flag").dtype());
        }
        Run i = gw("inspect", "--json", out.toString());
        assertEquals(0, i.code(), i.err());
        assertEquals(11, new ObjectMapper().readTree(i.out()).get("count").asInt());
    }

    @Test
    void convertWithNameMaps() throws Exception {
        Path out = tmp.resolve("vgg.safetensors");
        Run c = gw("convert", "--map", "torchvision-vgg16", FIXTURES.resolve("vgg16_tiny.pth").toString(), out.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("note: dropped 6 VGG classifier"), c.out());
        Map<String, Tensor> got = TensorFiles.load(out);
        assertTrue(got.keySet().stream().allMatch(n -> n.startsWith("image_model.")), got.keySet().toString());

        Path bert = tmp.resolve("bert.safetensors");
        assertEquals(0, gw("convert", "--map", "hf-bert", FIXTURES.resolve("bert_legacy_format.bin").toString(), bert.toString()).code());
        assertTrue(TensorFiles.load(bert).containsKey("encoder.layer.0.output.LayerNorm.weight"));

        Path vg = tmp.resolve("vg.safetensors");
        assertEquals(0, gw("convert", "--map", "vgbert", FIXTURES.resolve("vgbert_stage1.pth.tar").toString(), vg.toString()).code());
        var loaded = TensorFiles.loadWithMetadata(vg);
        assertTrue(loaded.tensors().containsKey("object_classifier.3.bias"));
        assertEquals("3", loaded.metadata().get("epoch"));
    }

    @Test
    void aMapThatRenamesNothingIsRefused() {
        Path out = tmp.resolve("wrong.safetensors");
        Run r = gw("convert", "--map", "hf-bert", FIXTURES.resolve("vgg16_tiny.pth").toString(), out.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("vgg16_tiny.pth") && r.err().contains("--map hf-bert renames no tensor"), r.err());
        assertFalse(Files.exists(out));
        r = gw("convert", "--map", "torchvision-vgg16", FIXTURES.resolve("bert_legacy_names.bin").toString(), out.toString());
        assertEquals(2, r.code(), r.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void badInputExitsTwoNamingTheFile() throws Exception {
        Path missing = tmp.resolve("nope.pth");
        Run r = gw("inspect", missing.toString());
        assertEquals(2, r.code());
        assertEquals("gw inspect: " + missing + ": no such file", r.err().strip());

        Path junk = tmp.resolve("junk.bin");
        Files.writeString(junk, "not a checkpoint at all");
        r = gw("inspect", junk.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(junk + ": unknown format"), r.err());

        Path evil = FIXTURES.resolve("evil_os_system.pt"), out = tmp.resolve("evil.safetensors");
        r = gw("convert", evil.toString(), out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(evil.toString()) && r.err().contains("refused global 'posix.system'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace");
        assertFalse(Files.exists(out));

        r = gw("inspect", FIXTURES.resolve("truncated.pt").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("truncated.pt: not a complete zip archive"), r.err());

        r = gw("convert", "--map", "bogus", FIXTURES.resolve("vgg16_tiny.pth").toString(), out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown name map 'bogus'"), r.err());
    }

    static final Path INTERBERT = FIXTURES.resolve("interbert");

    @Test
    void inspectSaysWhichInterBertNetworkAndWhichHeads() throws Exception {
        Run r = gw("inspect", INTERBERT.resolve("pytorch_model_4_ema.bin").toString());
        assertEquals(0, r.code(), r.err());
        String model = r.out().lines().filter(l -> l.startsWith("model: ")).findFirst().orElseThrow();
        assertTrue(model.startsWith("model: InterBERT, InterBertForVLTasks: text layers 4 (single-stream then text-only; the split is the config's),"
                + " image layers 1; heads: MLM over 13 words (cls.predictions, decoder stored)"), model);
        assertTrue(model.endsWith("fine-tuning: vil_prediction, vil_logit, vision_logit, linguisic_logit (1 labels)"), model);

        Run j = gw("inspect", "--json", "--filter", "cls.*", INTERBERT.resolve("pytorch_model_0_dataparallel.bin").toString());
        assertEquals(0, j.code(), j.err());
        JsonNode m = new ObjectMapper().readTree(j.out()).get("model");
        assertEquals("interbert", m.get("family").asText());
        assertEquals("InterBertForMultiModalPreTraining", m.get("model").asText());
        assertEquals(4, m.get("text_layers").asInt());
        assertEquals(1, m.get("image_layers").asInt());
        assertEquals("image-text matching (cls.bi_seq_relationship)", m.get("heads").get(2).asText());
        assertEquals(0, new ObjectMapper().readTree(j.out()).get("count").asInt(), "the filter shows no module.-less names, the model is still told");

        JsonNode none = new ObjectMapper().readTree(gw("inspect", "--json", FIXTURES.resolve("vgg16_tiny.pth").toString()).out());
        assertTrue(none.get("model").isNull());
        assertTrue(gw("inspect", INTERBERT.resolve("bert-tiny/pytorch_model.bin").toString()).out()
                .contains("model: BERT, BertForPreTraining: layers 4; heads: MLM over 13 words"));
    }

    @Test
    void convertWritesInterBertNamesFromTheOriginalOrFromBert() throws Exception {
        Path out = tmp.resolve("interbert.safetensors");
        Run c = gw("convert", "--map", "interbert", INTERBERT.resolve("pytorch_model_0_dataparallel.bin").toString(), out.toString());
        assertEquals(0, c.code(), c.err());
        Map<String, Tensor> want = TorchCheckpoint.load(INTERBERT.resolve("pytorch_model_0.bin")), got = TensorFiles.load(out);
        assertEquals(want.keySet().stream().toList(), got.keySet().stream().toList());
        for (String n : want.keySet()) assertArrayEquals(want.get(n).toFloatArray(), got.get(n).toFloatArray(), 0f, n);
        // An original file saved without DataParallel renames nothing, and is still converted: the map checks its kind.
        assertEquals(0, gw("convert", "--map", "interbert", INTERBERT.resolve("pytorch_model_0.bin").toString(), tmp.resolve("plain.safetensors").toString()).code());

        Path fromBert = tmp.resolve("bert-as-interbert.safetensors");
        c = gw("convert", "--map", "bert-interbert", INTERBERT.resolve("bert-tiny/pytorch_model.bin").toString(), fromBert.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("note: dropped 2 tensor(s), BERT's tanh pooler") && c.out().contains("note: dropped 2 tensor(s), BERT's next-sentence head"), c.out());
        Map<String, Tensor> b = TensorFiles.load(fromBert);
        assertTrue(b.containsKey("bert.encoder.layer.3.attention.output.LayerNorm.weight") && !b.containsKey("bert.pooler.dense.weight"), b.keySet().toString());
        // The converted file starts InterBERT exactly as the folder does, with nothing left to drop.
        InterBertConfig cfg = InterBertConfig.fromJson(INTERBERT.resolve("interbert_config.json"));
        InterBertForMultiModalPreTraining viaFolder = new InterBertForMultiModalPreTraining(cfg, new Generator(1)),
                viaConverted = new InterBertForMultiModalPreTraining(cfg, new Generator(1));
        InterBertWeights.fromBert(viaFolder, INTERBERT.resolve("bert-tiny"));
        assertTrue(InterBertWeights.fromBert(viaConverted, fromBert).dropped().isEmpty());
        viaFolder.stateDict().forEach((n, t) -> assertArrayEquals(t.toFloatArray(), viaConverted.stateDict().get(n).toFloatArray(), 0f, n));
    }

    @Test
    void aMapOfTheWrongKindIsRefusedNamingWhatTheFileIs() {
        Path out = tmp.resolve("wrong.safetensors");
        Run r = gw("convert", "--map", "interbert", INTERBERT.resolve("bert-tiny/pytorch_model.bin").toString(), out.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("pytorch_model.bin: --map interbert takes an original InterBERT checkpoint") && r.err().contains("a BERT checkpoint"), r.err());
        r = gw("convert", "--map", "hf-bert", INTERBERT.resolve("pytorch_model_4.bin").toString(), out.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--map hf-bert does not fit this file: it is an InterBERT checkpoint (use --map interbert)"), r.err());
        r = gw("convert", "--map", "bert-interbert", FIXTURES.resolve("vgg16_tiny.pth").toString(), out.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("neither BERT nor InterBERT"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace");
        assertFalse(Files.exists(out));
    }
}

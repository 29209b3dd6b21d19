package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.io.SafeTensorsFile;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.checkpoint.TorchCheckpoint;
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
        CommandLine cl = new CommandLine(new Gw());
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
}

package dev.groundwork.tools;

import dev.groundwork.engine.io.NpyReader;
import dev.groundwork.engine.io.NpyWriter;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gw embed on a Hugging Face-layout folder and on the untrained demo: files, [UNK]-only texts, bad input as one line. */
class EmbedCommandTest {
    @TempDir Path tmp;

    /** A Hub-layout folder: config.json, model.safetensors without pooler, the real vocab.txt; a tiny random BERT. */
    private Path hubFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bert-mini"));
        BertConfig c = new BertConfig(30522, 16, 2, 2, 32, "gelu", 0.1, 0.1, 64, 2, 0.02, 1e-12, 0);
        TensorFiles.save(dir.resolve("model.safetensors"), new BertModel(c, false, new Generator(3)).stateDict(), Map.of());
        Files.writeString(dir.resolve("config.json"), """
                {"model_type": "bert", "vocab_size": 30522, "hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2,
                 "intermediate_size": 32, "max_position_embeddings": 64, "type_vocab_size": 2}""");
        Files.copy(TransferModelCommandsTest.vocab(), dir.resolve("vocab.txt"));
        return dir;
    }

    @Test
    void perTokenStatesOfAHubFolderAsNpyWithTheUnknownTextsListed() throws Exception {
        Path model = hubFolder(), in = Files.writeString(tmp.resolve("in.txt"), "a striped horse\n\uD83E\uDD93\n\nzebra on the grass\n");
        CliRun r = CliRun.of(new Gw(), "embed", in.toString(), "--text", "cheerful", "--model", model.toString(), "--pooling", "none",
                "--out", tmp.resolve("out/e.npy").toString(), "-b", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("e.npy", "e.input_ids.npy", "e.attention_mask.npy", "e.texts.txt", "e.unknown.txt"),
                r.out().lines().map(l -> Path.of(l).getFileName().toString()).toList());
        assertEquals(List.of("a striped horse", "zebra on the grass", "cheerful"), Files.readAllLines(tmp.resolve("out/e.texts.txt")));
        assertArrayEquals(new int[]{3, 6, 16}, NpyReader.read(tmp.resolve("out/e.npy")).shape());
        assertArrayEquals(new long[]{1, 1, 1, 1, 1, 0}, java.util.Arrays.copyOf(NpyReader.read(tmp.resolve("out/e.attention_mask.npy")).longs(), 6));
        assertTrue(r.err().contains("1 text(s) are only [UNK] word pieces and were not embedded: \uD83E\uDD93"), r.err());
        assertTrue(r.err().contains("1 blank text(s) were skipped"), r.err());
    }

    @Test
    void objectPoolingOfTheUntrainedDemoAsSafetensors() throws Exception {
        NpyWriter.writeStrings(tmp.resolve("words.npy"), new String[]{"zebra", "horse", "striped horse"});
        CliRun r = CliRun.of(new Gw(), "embed", tmp.resolve("words.npy").toString(), "--model", "untrained:demo", "--pooling", "object",
                "--out", tmp.resolve("w.safetensors").toString(), "--vocab", TransferModelCommandsTest.vocab().toString());
        assertEquals(0, r.code(), r.err());
        var loaded = TensorFiles.loadWithMetadata(tmp.resolve("w.safetensors"));
        assertArrayEquals(new int[]{3, 64}, loaded.tensors().get("embeddings").shape());
        assertEquals("object", loaded.metadata().get("pooling"));
        assertEquals("1", loaded.metadata().get("token_type"));
        assertEquals("8", loaded.metadata().get("max_length"));
        assertTrue(r.err().contains("object pooling, layer 2, up to 8 tokens, token type 1"), r.err());
    }

    @Test
    void badInputIsOneLineNamingTheFile() throws Exception {
        NpyWriter.writeFloats(tmp.resolve("floats.npy"), new float[]{1, 2}, 2);
        CliRun r = CliRun.of(new Gw(), "embed", tmp.resolve("floats.npy").toString(), "--model", "untrained:demo", "--out", tmp.resolve("o.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("floats.npy") && r.err().contains("expected strings") && r.err().lines().count() == 1, r.err());
        r = CliRun.of(new Gw(), "embed", "--text", "zebra", "--model", tmp.resolve("nothing").toString(), "--out", tmp.resolve("o.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(tmp.resolve("nothing").toString()) && r.err().contains("no such file or folder"), r.err());
        r = CliRun.of(new Gw(), "embed", "--text", "zebra", "--model", "untrained:demo", "--out", tmp.resolve("o.npy").toString(), "--format", "safetensors");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("disagrees with --out"), r.err());
        r = CliRun.of(new Gw(), "embed", "--model", "untrained:demo", "--out", tmp.resolve("o.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nothing to embed"), r.err());
        r = CliRun.of(new Gw(), "embed", "--text", "zebra", "--model", "untrained:demo", "--out", tmp.resolve("o.npy").toString(), "--pooling", "max");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("pooling must be mean, cls, none or object"), r.err());
    }
}

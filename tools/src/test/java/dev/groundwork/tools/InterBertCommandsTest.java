package dev.groundwork.tools;

import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.interbert.data.InterBertSynth;
import dev.groundwork.models.interbert.recipe.ModelSize;
import dev.groundwork.models.train.Trainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The InterBERT commands: help with the original flag names, and bad input refused before the first step
 * with one line naming the problem (a mismatched vocabulary, a checkpoint of the other network, feature
 * stores that do not cover the annotations).
 */
class InterBertCommandsTest {
    @TempDir Path tmp;
    private Path data, vocab;

    @BeforeEach
    void synth() throws Exception {
        data = tmp.resolve("data");
        InterBertSynth.write(data, InterBertSynth.Options.SMALL.withImages(20));
        vocab = tmp.resolve("vocab.txt");
        Files.writeString(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nred\ndog\n.\nis\n");
    }

    private static void oneLine(CliRun r) {
        assertEquals(2, r.code(), r.err() + r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void everyCommandPrintsHelpWithTheOriginalFlagNames() {
        for (String[] c : new String[][]{{"train", "interbert-pretrain"}, {"train", "interbert-flickr"}, {"train", "interbert-vcr"},
                {"eval", "interbert-retrieval"}, {"eval", "vcr"}, {"demo", "interbert"}}) {
            CliRun r = CliRun.of(new Gw(), c[0], c[1], "--help");
            assertEquals(0, r.code(), String.join(" ", c));
            if (c[0].equals("train")) assertTrue(r.out().contains("--learning_rate") && r.out().contains("--num_train_epochs")
                    && r.out().contains("--train_batch_size"), r.out());
        }
        assertTrue(CliRun.of(new Gw(), "train", "interbert-flickr", "--help").out().contains("--ema_decay_ratio"));
        assertTrue(CliRun.of(new Gw(), "train", "interbert-pretrain", "--help").out().contains("span_mask"));
        assertTrue(CliRun.of(new Gw(), "eval", "interbert-retrieval", "--help").out().contains("--zero_shot"));
    }

    @Test
    void aMismatchedVocabularyIsRefusedBeforeTheFirstStep() throws Exception {
        Path exp = tmp.resolve("pre");
        CliRun r = CliRun.of(new Gw(), "train", "interbert-pretrain", "--data", data.resolve("concap").toString(), "--exp-dir", exp.toString(),
                "--vocab", vocab.toString(), "--config_file", config(30522).toString());
        oneLine(r);
        assertTrue(r.err().contains("mismatched vocabulary"), r.err());
        assertFalse(Files.exists(exp.resolve(Trainer.CHECKPOINT)));
    }

    @Test
    void aPretrainingCheckpointIsNotEvaluatedAsAFineTunedOne() throws Exception {
        Path weights = tmp.resolve("pre.safetensors");
        var m = new InterBertForMultiModalPreTraining(ModelSize.DEMO.config(null, 10, 64, 32, false), new Generator(0));
        new Checkpoint(m.stateDict(), Map.of(), 0, 0, Map.of(), Map.of()).save(weights);
        String[] common = {"eval", "interbert-retrieval", "--data", data.resolve("flickr30k").toString(), "--from-pretrained", weights.toString(),
                "--vocab", vocab.toString(), "--model-size", "demo", "--region-classes", "32", "--regions", "12"};
        CliRun r = CliRun.of(new Gw(), concat(common, "--out", tmp.resolve("ev").toString()));
        oneLine(r);
        assertTrue(r.err().contains("InterBertForMultiModalPreTraining"), r.err());
        CliRun zs = CliRun.of(new Gw(), concat(common, "--out", tmp.resolve("zs").toString(), "--zero-shot"));
        assertEquals(0, zs.code(), zs.err());
        assertTrue(zs.out().contains("zero-shot caption->image") && zs.out().contains("chance: R@1"), zs.out());
    }

    @Test
    void annotationsWhoseImagesTheFeaturesLackAreListedBeforeTheFirstStep() throws Exception {
        Path flickr = data.resolve("flickr30k"), split = flickr.resolve("all_data_final_train_2014.jsonline");
        Files.writeString(split, Files.readString(split) + "{\"img_path\": \"424242.jpg\", \"sentences\": [\"a red dog.\"]}\n");
        Path exp = tmp.resolve("ft");
        CliRun r = CliRun.of(new Gw(), "train", "interbert-flickr", "--data", flickr.toString(), "--exp-dir", exp.toString(),
                "--vocab", vocab.toString(), "--model-size", "demo", "--region-classes", "32", "--regions", "12");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("424242"), r.err());
        assertFalse(Files.exists(exp.resolve(Trainer.CHECKPOINT)));
    }

    private Path config(int vocabSize) throws Exception {
        Path c = tmp.resolve("config.json");
        Files.writeString(c, "{\"vocab_size\": " + vocabSize + ", \"t_num_hidden_layers\": 1, \"num_hidden_layers\": 1, \"hidden_size\": 16,"
                + " \"num_attention_heads\": 2, \"intermediate_size\": 32, \"v_feature_size\": 64, \"v_hidden_size\": 16,"
                + " \"v_num_attention_heads\": 2, \"v_intermediate_size\": 32, \"v_num_hidden_layers\": 1, \"bi_hidden_size\": 16}");
        return c;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

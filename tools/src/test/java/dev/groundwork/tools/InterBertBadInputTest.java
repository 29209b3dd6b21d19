package dev.groundwork.tools;

import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.data.InterBertSynth;
import dev.groundwork.models.interbert.recipe.FlickrFineTuning;
import dev.groundwork.models.interbert.recipe.ModelSize;
import dev.groundwork.models.interbert.recipe.VcrFineTuning;
import dev.groundwork.models.train.TrainedTask;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.vgbert.TwoStreamModel;
import dev.groundwork.models.vgbert.VgBertConfig;
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
 * Issue 17 §4: bad input to the InterBERT commands is refused before the first step with one line naming
 * the problem: a checkpoint of the wrong model or task (BERT or VG-BERT where InterBERT is needed, a
 * fine-tuned file where the pretraining network's ITM head is, and the reverse), a vocabulary that does not
 * fit the config or the checkpoint's word embeddings, feature stores that do not cover the annotations.
 */
class InterBertBadInputTest {
    private static final Path BERT_TINY = Path.of("../models/src/test/resources/checkpoint/interbert/bert-tiny/pytorch_model.bin")
            .toAbsolutePath().normalize();
    private static final int FEATURES = 64, CLASSES = 32;

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

    /** A demo-size InterBERT config over {@code words} tokens and the synthetic data's features and classes. */
    private static InterBertConfig demo(int words) { return ModelSize.DEMO.config(null, words, FEATURES, CLASSES, false); }

    private Path save(String name, Module m) throws Exception {
        Path p = tmp.resolve(name);
        new Checkpoint(m.stateDict(), Map.of(), 0, 0, Map.of(), Map.of()).save(p);
        return p;
    }

    private String[] flickr(String command, Path init, String... more) {
        return concat(new String[]{"train", command, "--data", data.resolve(command.equals("interbert-vcr") ? "VCR" : "flickr30k").toString(),
                "--exp-dir", tmp.resolve("exp").toString(), "--from-pretrained", init.toString(), "--vocab", vocab.toString(),
                "--model-size", "demo", "--region-classes", "" + CLASSES, "--regions", "12"}, more);
    }

    private String[] retrieval(Path weights, String out, String... more) {
        return concat(new String[]{"eval", "interbert-retrieval", "--data", data.resolve("flickr30k").toString(), "--from-pretrained",
                weights.toString(), "--vocab", vocab.toString(), "--model-size", "demo", "--region-classes", "" + CLASSES, "--regions", "12",
                "--out", tmp.resolve(out).toString()}, more);
    }

    private void noStepTaken() { assertFalse(Files.exists(tmp.resolve("exp").resolve(Trainer.CHECKPOINT))); }

    @Test
    void aBertOrVgBertCheckpointIsNotFineTunedAsInterBert() throws Exception {
        for (String task : new String[]{"interbert-flickr", "interbert-vcr"}) {
            CliRun bert = CliRun.of(new Gw(), flickr(task, BERT_TINY));
            oneLine(bert);
            assertTrue(bert.err().contains("holds BERT") && bert.err().contains("not InterBERT"), bert.err());
            noStepTaken();
        }
        Path vgbert = save("vgbert.safetensors", new TwoStreamModel(VgBertConfig.demo(), 0, new Generator(1)));
        CliRun vg = CliRun.of(new Gw(), flickr("interbert-flickr", vgbert));
        oneLine(vg);
        assertTrue(vg.err().contains("VG-BERT"), vg.err());
        noStepTaken();
    }

    @Test
    void aPretrainingCheckpointIsNotEvaluatedAsAFineTunedOne() throws Exception {
        Path weights = save("pre.safetensors", new InterBertForMultiModalPreTraining(demo(10), new Generator(0)));
        CliRun r = CliRun.of(new Gw(), retrieval(weights, "ev"));
        oneLine(r);
        assertTrue(r.err().contains("InterBertForMultiModalPreTraining"), r.err());
        CliRun zs = CliRun.of(new Gw(), retrieval(weights, "zs", "--zero-shot"));
        assertEquals(0, zs.code(), zs.err());
        assertTrue(zs.out().contains("zero-shot caption->image") && zs.out().contains("chance: R@1"), zs.out());
    }

    @Test
    void aFineTunedCheckpointIsNotEvaluatedZeroShot() throws Exception {
        Path weights = save("flickr.safetensors", new InterBertForVLTasks(demo(10), FlickrFineTuning.NUM_LABELS, new Generator(0)));
        CliRun r = CliRun.of(new Gw(), retrieval(weights, "ev", "--zero-shot"));
        oneLine(r);
        assertTrue(r.err().contains("zero-shot") && r.err().contains("the file holds InterBertForVLTasks"), r.err());
    }

    /** Flickr30K and VCR fine-tune the same network: the trainer's stamp tells their files apart; unstamped files pass. */
    @Test
    void aFileOfTheOtherFineTuningTaskIsRefusedByItsStamp() throws Exception {
        InterBertForVLTasks net = new InterBertForVLTasks(demo(10), FlickrFineTuning.NUM_LABELS, new Generator(0));
        Path flickr = tmp.resolve("flickr-best.safetensors"), vcr = tmp.resolve("vcr-best.safetensors");
        new Checkpoint(net.stateDict(), Map.of(), 1, 1, Map.of(), Map.of(TrainedTask.KEY, FlickrFineTuning.TASK)).save(flickr);
        new Checkpoint(net.stateDict(), Map.of(), 1, 1, Map.of(), Map.of(TrainedTask.KEY, VcrFineTuning.TASK)).save(vcr);
        CliRun onVcr = CliRun.of(new Gw(), "eval", "vcr", "--data", data.resolve("VCR").toString(), "--from-pretrained", flickr.toString(),
                "--vocab", vocab.toString(), "--model-size", "demo", "--region-classes", "" + CLASSES, "--regions", "12", "--out", tmp.resolve("ev-vcr").toString());
        oneLine(onVcr);
        assertTrue(onVcr.err().contains("trained by interbert-flickr, not interbert-vcr"), onVcr.err());
        assertFalse(Files.exists(tmp.resolve("ev-vcr/QA_result.json")));
        CliRun onFlickr = CliRun.of(new Gw(), retrieval(vcr, "ev-flickr"));
        oneLine(onFlickr);
        assertTrue(onFlickr.err().contains("trained by interbert-vcr, not interbert-flickr"), onFlickr.err());
        CliRun stamped = CliRun.of(new Gw(), retrieval(flickr, "ev-ok"));
        assertEquals(0, stamped.code(), stamped.err());
        CliRun unstamped = CliRun.of(new Gw(), retrieval(save("vl.safetensors", net), "ev-unstamped"));
        assertEquals(0, unstamped.code(), unstamped.err());
    }

    @Test
    void aVocabularyThatDoesNotFitTheCheckpointIsRefused() throws Exception {
        Path pre = save("pre30.safetensors", new InterBertForMultiModalPreTraining(demo(30), new Generator(0)));
        CliRun ft = CliRun.of(new Gw(), flickr("interbert-flickr", pre));
        oneLine(ft);
        assertTrue(ft.err().contains("mismatched vocabulary") && ft.err().contains("30"), ft.err());
        noStepTaken();
        CliRun zs = CliRun.of(new Gw(), retrieval(pre, "ev", "--zero-shot"));
        oneLine(zs);
        assertTrue(zs.err().contains("mismatched vocabulary"), zs.err());
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
    void annotationsWhoseImagesTheFeaturesLackAreListedBeforeTheFirstStep() throws Exception {
        Path flickr = data.resolve("flickr30k"), split = flickr.resolve("all_data_final_train_2014.jsonline");
        Files.writeString(split, Files.readString(split) + "{\"img_path\": \"424242.jpg\", \"sentences\": [\"a red dog.\"]}\n");
        Path exp = tmp.resolve("ft");
        CliRun r = CliRun.of(new Gw(), "train", "interbert-flickr", "--data", flickr.toString(), "--exp-dir", exp.toString(),
                "--vocab", vocab.toString(), "--model-size", "demo", "--region-classes", "" + CLASSES, "--regions", "12");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("424242"), r.err());
        assertFalse(Files.exists(exp.resolve(Trainer.CHECKPOINT)));
    }

    @Test
    void vcrQuestionsWhoseImagesTheFeaturesLackAreListedBeforeTheFirstStep() throws Exception {
        Path vcr = data.resolve("VCR"), train = vcr.resolve("train.jsonl");
        String first = Files.readString(train).lines().findFirst().orElseThrow();
        Files.writeString(train, Files.readString(train) + first.replaceAll("\"img_id\":\"[^\"]*\"", "\"img_id\":\"train-4242\"")
                .replaceAll("\"metadata_fn\":\"[^\"]*\"", "\"metadata_fn\":\"synth/train-0.json\"") + "\n");
        Path exp = tmp.resolve("vcr");
        CliRun r = CliRun.of(new Gw(), "train", "interbert-vcr", "--data", vcr.toString(), "--exp-dir", exp.toString(),
                "--vocab", vocab.toString(), "--model-size", "demo", "--region-classes", "" + CLASSES, "--regions", "12");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("image id 4242 is missing") && r.err().contains("train.jsonl"), r.err());
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

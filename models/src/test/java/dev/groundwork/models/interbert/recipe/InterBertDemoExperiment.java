package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.interbert.data.FlickrRetrieval;
import dev.groundwork.models.interbert.data.InterBertSynth;
import dev.groundwork.models.interbert.eval.RetrievalEvaluation;
import dev.groundwork.models.text.RealVocab;
import dev.groundwork.models.train.Trainer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

/** Manual experiment (-Dib.exp=DIR): pretraining choices of the demo against zero-shot retrieval. */
class InterBertDemoExperiment {
    public static void main(String[] a) throws Exception { new InterBertDemoExperiment().run(); }

    @Test
    void run() throws Exception {
        String out = System.getProperty("ib.exp");
        Assumptions.assumeTrue(out != null);
        Path dir = Path.of(out);
        double init = Double.parseDouble(System.getProperty("ib.init", "0.02"));
        double lr = Double.parseDouble(System.getProperty("ib.lr", "1e-3"));
        int epochs = Integer.getInteger("ib.epochs", 20);
        double itmw = Double.parseDouble(System.getProperty("ib.itmw", "1"));
        InterBertDemo demo = new InterBertDemo(dir, RealVocab.locate(), 0, Device.CPU, 200, 1);
        if (!Files.exists(demo.vocab())) demo.writeData();
        long vocabSize = Files.readAllLines(demo.vocab()).stream().filter(s -> !s.isEmpty()).count();
        Path cfg = dir.resolve("config-" + System.nanoTime() + ".json");
        Files.writeString(cfg, "{\"vocab_size\":" + vocabSize + ",\"hidden_size\":64,\"num_hidden_layers\":2,\"t_num_hidden_layers\":1,"
                + "\"num_attention_heads\":4,\"intermediate_size\":128,\"initializer_range\":" + init + ",\"hidden_dropout_prob\":" + System.getProperty("ib.drop", "0.1") + ",\"attention_probs_dropout_prob\":" + System.getProperty("ib.drop", "0.1") + ",\"v_hidden_dropout_prob\":" + System.getProperty("ib.drop", "0.1") + ",\"v_attention_probs_dropout_prob\":" + System.getProperty("ib.drop", "0.1") + ",\"v_feature_size\":64,\"v_target_size\":32,"
                + "\"v_hidden_size\":64,\"v_num_hidden_layers\":1,\"v_num_attention_heads\":4,\"v_intermediate_size\":128,\"bi_hidden_size\":64}");
        PretrainSettings p = demo.pretrainSettings();
        Path exp = System.getProperty("ib.pre") != null ? Path.of(System.getProperty("ib.pre")) : dir.resolve("pre-" + System.nanoTime());
        RunOptions run = RunOptions.of(exp, 0);
        PretrainSettings s = new PretrainSettings(p.data(), p.vocab(), cfg, ModelSize.DEMO, null, lr, p.batchSize(), epochs, p.warmup(),
                true, false, Double.parseDouble(System.getProperty("ib.tw", "1")), Double.parseDouble(System.getProperty("ib.iw", "1")), itmw, p.weightDecayRule(), p.weightDecay(), 1, -1, p.maxSeqLength(), p.regions(), run);
        long t0 = System.nanoTime();
        if (System.getProperty("ib.pre") == null) Pretraining.run(s, System.out, new dev.groundwork.models.train.StopRequest());
        RetrievalRun r = new RetrievalRun(demo.data().resolve("flickr30k"), "test_set0", demo.vocab(), cfg, ModelSize.DEMO,
                InterBertSynth.Options.SMALL.classes(), exp.resolve(System.getProperty("ib.weights", Trainer.BEST)), true, exp.resolve("eval-" + System.nanoTime()),
                new RetrievalEvaluation.Options(FlickrRetrieval.TEXT_LENGTH, InterBertDemo.FLICKR_REGIONS, 500, 50, 50), Device.CPU);
        var res = r.run(System.out);
        System.out.println("EXP init=" + init + " lr=" + lr + " epochs=" + epochs + " itmw=" + itmw + " -> " + res.metrics() + " in " + (System.nanoTime() - t0) / 1e9 + " s");
    }
}

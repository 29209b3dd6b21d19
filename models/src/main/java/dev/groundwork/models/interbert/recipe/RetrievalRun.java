package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.InterBertWeights;
import dev.groundwork.models.interbert.data.FeatureLmdb;
import dev.groundwork.models.interbert.data.FlickrSplit;
import dev.groundwork.models.interbert.eval.ItmScorer;
import dev.groundwork.models.interbert.eval.RetrievalEvaluation;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.TrainedTask;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code gw eval interbert-retrieval}: the weights into the network the mode needs, loaded strictly (a
 * checkpoint of the other network or task is refused, naming what it holds), then
 * {@link RetrievalEvaluation} on a split of the Flickr30K folder. Zero-shot reads a pretraining checkpoint
 * ({@link InterBertForMultiModalPreTraining}'s ITM head, spec 5.1's {@code --zero_shot}); otherwise a
 * fine-tuned one ({@link InterBertForVLTasks}; the EMA file is the recommended one, spec 8.16).
 */
public record RetrievalRun(Path data, String split, Path vocab, Path config, ModelSize size, int regionClasses, Path weights,
                           boolean zeroShot, Path out, RetrievalEvaluation.Options options, Device device) {
    public RetrievalRun {
        InvalidSettingException.check(data != null && Files.isDirectory(data), "data", "must name the Flickr30K folder, got " + data);
        InvalidSettingException.check(weights != null && Files.exists(weights), "weights", "names nothing: " + weights);
        InvalidSettingException.check(vocab != null && Files.isRegularFile(vocab), "vocab", "names no file: " + vocab);
        InvalidSettingException.check(Files.isRegularFile(data.resolve("all_data_final_" + split + "_2014.jsonline")), "split",
                "names no all_data_final_" + split + "_2014.jsonline in " + data);
        if (size == null) size = ModelSize.BASE;
        if (device == null) device = Device.CPU;
    }

    public RetrievalEvaluation.Result run(PrintStream log) throws IOException, DataException {
        BertTokenizer tok = BertTokenizer.load(vocab);
        try (FeatureLmdb features = FeatureLmdb.open(data.resolve(FlickrSettings.FEATURES), 0)) {
            InterBertConfig c = size.config(config, tok.vocab().size(), features.featureSize(), regionClasses, false);
            ItmScorer scorer;
            try {
                if (zeroShot) {
                    InterBertForMultiModalPreTraining m = new InterBertForMultiModalPreTraining(c, new Generator(0));
                    InterBertWeights.load(m, weights, true);
                    scorer = ItmScorer.zeroShot(m);
                } else {
                    // VCR's files are the same network: only the stamp tells them apart.
                    TrainedTask.require(weights, FlickrFineTuning.TASK, "weights");
                    InterBertForVLTasks m = new InterBertForVLTasks(c, FlickrFineTuning.NUM_LABELS, new Generator(0));
                    InterBertWeights.load(m, weights, true);
                    scorer = ItmScorer.fineTuned(m);
                }
            } catch (RuntimeException e) {
                throw new InvalidSettingException("weights", "cannot be evaluated " + (zeroShot ? "zero-shot" : "as a fine-tuned model")
                        + ": " + e.getMessage());
            }
            if (!device.equals(Device.CPU)) scorer.model().to(device);
            FlickrSplit s = FlickrSplit.read(data.resolve("all_data_final_" + split + "_2014.jsonline"));
            Map<String, String> id = new TreeMap<>();
            id.put("weights", weights.toAbsolutePath().normalize() + " (" + Files.size(weights) + " bytes, modified " + Files.getLastModifiedTime(weights) + ")");
            id.put("mode", zeroShot ? "zero-shot (pretraining ITM head)" : "fine-tuned (vil_binary_prediction)");
            return RetrievalEvaluation.run(scorer, s, features, tok, options, device, out, split, id, log);
        }
    }
}

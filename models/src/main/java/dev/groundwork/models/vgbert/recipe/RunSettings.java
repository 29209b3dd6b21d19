package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.BadRecordPolicy;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.vgbert.ValidationRecall;
import dev.groundwork.models.vgbert.VgBertConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.groundwork.models.train.InvalidSettingException.check;

/**
 * Everything one VG-BERT training run needs to know, as plain values (spec §8's flags under their own
 * names). A record that exists is valid: construction checks every value and fails with an
 * {@link InvalidSettingException} naming the setting by its component name ("epochs must be a
 * positive integer, got 0"); a front end maps those names to its own (the CLI: "--n-epochs"). Build
 * one with {@link #builder}, which fills what is not given from the {@link Stage} and the {@link Preset}.
 *
 * @param dataVal        validation index, or null to select the best epoch on training metrics
 * @param vocab          bert-base-uncased vocab.txt (every stage but visual)
 * @param loadPretrained the previous stage's weights (§6.3), or null
 * @param pretrainedVgg  torchvision's ImageNet VGG16 for the backbone (stages 1 and 2, §1.1), loaded before
 *                       {@code loadPretrained} as the original does; null: its random initialisation
 * @param bert           stage 2's language stream: a Hugging Face BERT folder (§2.1), or {@link PretrainedWeights#NO_BERT}
 *                       for random weights; stage 2 needs one of the two said explicitly, other stages none
 * @param imageRoot      the COCO folder for COCO's {@code captions_*.json} and Karpathy's split file
 *                       (two-stream, retrieval); null: beside the annotation file ({@code CaptionFiles.defaultRoot})
 * @param embeddingDim   must equal the preset's width (a check the original's flag implies, §8.1)
 * @param trainBackbone  also train what §2.5 freezes as pretrained (runs from random weights: the demo)
 * @param workers        data-loading threads, 0 = on the training thread
 * @param logEverySteps  a step record every N optimizer steps, 0 = off
 * @param maxSteps       stop after N optimizer steps in total, 0 = no limit
 * @param saveEverySteps also a mid-epoch checkpoint every N optimizer steps, 0 = at epoch ends only
 * @param badRecords     records that fail the up-front check (or decoding): stop (FAIL) or train without them (SKIP)
 * @param valRecall      two-stream and retrieval: R@1/5/10 both ways over the first N validation images each epoch
 *                       ({@code ValidationRecall}), 0 = off; other stages 0
 * @param selectBy       the validation metric best.safetensors follows: {@code loss_sum} (§6.2) or a recall
 *                       ({@code i2t_r1} ... {@code rsum}), which needs validation data and {@code valRecall}
 */
public record RunSettings(Stage stage, Preset preset, Path dataTrain, Path dataVal, Path vocab, Path loadPretrained, Path pretrainedVgg,
                          String bert, Path imageRoot, Path expDir,
                          boolean resume, double lr, int batchSize, int epochs, double dropout, double sigma, double temperature,
                          int learnableLayers, int heads, int embeddingDim, int subspaceDim, int relationNum, boolean trainBackbone,
                          long seed, Device device, int workers, int logEverySteps, long maxSteps, int saveEverySteps, BadRecordPolicy badRecords,
                          int valRecall, String selectBy) {

    public RunSettings {
        check(stage != null, "stage", "must be given");
        check(preset != null, "preset", "must be given");
        check(device != null, "device", "must be given");
        check(badRecords != null, "badRecords", "must be fail or skip");
        check(batchSize > 0, "batchSize", "must be a positive integer, got " + batchSize);
        check(epochs > 0, "epochs", "must be a positive integer, got " + epochs);
        check(lr > 0 && Double.isFinite(lr), "lr", "must be a positive number, got " + lr);
        check(sigma > 0 && Double.isFinite(sigma), "sigma", "must be a positive number, got " + sigma);
        check(temperature > 0 && Double.isFinite(temperature), "temperature", "must be a positive number, got " + temperature);
        check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got " + dropout);
        check(workers >= 0, "workers", "must be 0 or more, got " + workers);
        check(logEverySteps >= 0, "logEverySteps", "must be 0 (off) or a positive integer, got " + logEverySteps);
        check(maxSteps >= 0, "maxSteps", "must be 0 (no limit) or a positive integer, got " + maxSteps);
        check(expDir != null, "expDir", "must be given (where the checkpoint and metrics go)");
        check(dataTrain != null && Files.exists(dataTrain), "dataTrain", "names no file or folder: " + dataTrain);
        check(dataVal == null || Files.exists(dataVal), "dataVal", "names no file or folder: " + dataVal);
        check(loadPretrained == null || Handoffs.takesWeights(stage), "loadPretrained",
                "is not taken by the " + stage.id() + " stage: it starts from random weights");
        check(loadPretrained == null || Files.isRegularFile(loadPretrained), "loadPretrained", "names no file: " + loadPretrained);
        check(pretrainedVgg == null || stage == Stage.VISUAL || stage == Stage.TWO_STREAM, "pretrainedVgg",
                "is taken by the visual and two-stream stages only: the " + stage.id() + " stage's VGG comes with --load-pretrained");
        check(pretrainedVgg == null || Files.isRegularFile(pretrainedVgg), "pretrainedVgg", "names no file: " + pretrainedVgg);
        check(bert == null || stage == Stage.TWO_STREAM, "bert",
                "is taken by the two-stream stage only: the " + stage.id() + " stage's language stream comes with --load-pretrained");
        check(stage != Stage.TWO_STREAM || bert != null, "bert",
                "must be given: a Hugging Face bert-base-uncased folder (the paper's start), or 'none' for random weights");
        check(bert == null || bert.equals(PretrainedWeights.NO_BERT) || Files.exists(Path.of(bert)), "bert",
                "names no folder or file: " + bert + " (a Hugging Face BERT folder, or 'none' for random weights)");
        check(imageRoot == null || stage == Stage.TWO_STREAM || stage == Stage.RETRIEVAL, "imageRoot",
                "is taken by the stages that read COCO (two-stream, retrieval), not by " + stage.id());
        check(imageRoot == null || Files.isDirectory(imageRoot), "imageRoot", "names no folder: " + imageRoot);
        check(stage == Stage.VISUAL || (vocab != null && Files.isRegularFile(vocab)), "vocab",
                "names no file: " + vocab + " (a bert-base-uncased vocab.txt)");
        VgBertConfig c = preset.config();
        check(embeddingDim == c.dim(), "embeddingDim", "must be " + c.dim() + " for the " + preset + " preset (the BERT width), got " + embeddingDim);
        check(heads > 0 && c.dim() % heads == 0, "heads", "must be a positive divisor of the embedding dim " + c.dim() + ", got " + heads);
        check(subspaceDim > 0, "subspaceDim", "must be a positive integer, got " + subspaceDim);
        check(relationNum >= 2, "relationNum", "must be at least 2 (class 0 = none plus one predicate), got " + relationNum);
        int layers = c.bert().numHiddenLayers();
        check(learnableLayers >= 0 && learnableLayers <= layers, "learnableLayers",
                "must be between 0 and " + layers + " (the " + preset + " BERT's layers), got " + learnableLayers);
        boolean ranks = stage == Stage.TWO_STREAM || stage == Stage.RETRIEVAL;
        check(valRecall >= 0, "valRecall", "must be 0 (off) or a number of validation images, got " + valRecall);
        check(valRecall == 0 || ranks, "valRecall", "is taken by the stages that match images and captions (two-stream, retrieval), not by " + stage.id());
        check(selectBy != null, "selectBy", "must be given");
        try {
            ValidationRecall.selection(selectBy);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("selectBy", "names " + e.getMessage());
        }
        boolean recall = !selectBy.equals(ValidationRecall.LOSS_SUM);
        check(!recall || ranks, "selectBy", "can be " + ValidationRecall.LOSS_SUM + " only for the " + stage.id() + " stage (no recall there)");
        check(!recall || (dataVal != null && valRecall > 0), "selectBy",
                selectBy + " is a validation recall: it needs validation data and valRecall above 0");
    }

    /**
     * The settings a checkpoint keeps, by name, so that a resumed run can tell what changed (see
     * {@code Trainer}); the loop's own (epochs, step limits) are added by the trainer.
     */
    public Map<String, String> recorded() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("stage", stage.id());
        m.put("preset", preset.name());
        m.put("dataTrain", String.valueOf(dataTrain));
        m.put("dataVal", String.valueOf(dataVal));
        m.put("lr", Double.toString(lr));
        m.put("batchSize", Integer.toString(batchSize));
        m.put("dropout", Double.toString(dropout));
        m.put("sigma", Double.toString(sigma));
        m.put("temperature", Double.toString(temperature));
        m.put("learnableLayers", Integer.toString(learnableLayers));
        m.put("heads", Integer.toString(heads));
        m.put("subspaceDim", Integer.toString(subspaceDim));
        m.put("relationNum", Integer.toString(relationNum));
        m.put("trainBackbone", Boolean.toString(trainBackbone));
        m.put("seed", Long.toString(seed));
        m.put("workers", Integer.toString(workers));
        m.put("device", device.toString());
        m.put("valRecall", Integer.toString(valRecall));
        m.put("selectBy", selectBy);
        return m;
    }

    /** The networks of this run: the preset's with the heads, subspace, relations, σ, τ and dropout set here. */
    public VgBertConfig config() {
        return preset.config().withHeads(heads).withSubspace(subspaceDim).withRelations(relationNum)
                .withSigma(sigma).withTemperature(temperature).withDropout(dropout);
    }

    /** A builder for {@code stage} at {@code preset}'s sizes. */
    public static Builder builder(Stage stage, Preset preset) { return new Builder(stage, preset); }

    /**
     * Collects values; what is left unset (or set to null) takes the default: the stage's lr, batch,
     * epochs, dropout and learnable layers (§8), the preset's heads, widths, relations, σ and τ, seed 0,
     * one loading thread, no step records or limit, R@K over 1000 validation images where the stage ranks
     * (best epoch still by the loss sum), and the device of {@code GW_DEVICE} (else the CPU).
     */
    public static final class Builder {
        private final Stage stage;
        private final Preset preset;
        private Path dataTrain, dataVal, vocab, loadPretrained, pretrainedVgg, imageRoot, expDir;
        private String bert;
        private boolean resume, trainBackbone;
        private Double lr, dropout, sigma, temperature;
        private Integer batchSize, epochs, learnableLayers, heads, embeddingDim, subspaceDim, relationNum, workers, logEverySteps, saveEverySteps, valRecall;
        private String selectBy;
        private Long seed, maxSteps;
        private Device device;
        private BadRecordPolicy badRecords;

        private Builder(Stage stage, Preset preset) {
            this.stage = stage;
            this.preset = preset;
        }

        public Builder dataTrain(Path p) { dataTrain = p; return this; }
        public Builder dataVal(Path p) { dataVal = p; return this; }
        public Builder vocab(Path p) { vocab = p; return this; }
        public Builder loadPretrained(Path p) { loadPretrained = p; return this; }
        public Builder pretrainedVgg(Path p) { pretrainedVgg = p; return this; }
        public Builder bert(String source) { bert = source; return this; }
        public Builder imageRoot(Path p) { imageRoot = p; return this; }
        public Builder expDir(Path p) { expDir = p; return this; }
        public Builder resume(boolean b) { resume = b; return this; }
        public Builder trainBackbone(boolean b) { trainBackbone = b; return this; }
        public Builder lr(Double v) { lr = v; return this; }
        public Builder dropout(Double v) { dropout = v; return this; }
        public Builder sigma(Double v) { sigma = v; return this; }
        public Builder temperature(Double v) { temperature = v; return this; }
        public Builder batchSize(Integer v) { batchSize = v; return this; }
        public Builder epochs(Integer v) { epochs = v; return this; }
        public Builder learnableLayers(Integer v) { learnableLayers = v; return this; }
        public Builder heads(Integer v) { heads = v; return this; }
        public Builder embeddingDim(Integer v) { embeddingDim = v; return this; }
        public Builder subspaceDim(Integer v) { subspaceDim = v; return this; }
        public Builder relationNum(Integer v) { relationNum = v; return this; }
        public Builder workers(Integer v) { workers = v; return this; }
        public Builder logEverySteps(Integer v) { logEverySteps = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder maxSteps(Long v) { maxSteps = v; return this; }
        public Builder saveEverySteps(Integer v) { saveEverySteps = v; return this; }
        public Builder badRecords(BadRecordPolicy p) { badRecords = p; return this; }
        public Builder valRecall(Integer v) { valRecall = v; return this; }
        public Builder selectBy(String metric) { selectBy = metric; return this; }
        public Builder device(Device d) { device = d; return this; }

        /** The settings, checked; an {@link InvalidSettingException} names the first bad one. */
        public RunSettings build() {
            check(stage != null, "stage", "must be given");
            check(preset != null, "preset", "must be given");
            VgBertConfig c = preset.config();
            return new RunSettings(stage, preset, dataTrain, dataVal, vocab, loadPretrained, pretrainedVgg, bert, imageRoot, expDir, resume,
                    or(lr, stage.lr()), or(batchSize, stage.batchSize()), or(epochs, stage.epochs()), or(dropout, stage.dropout()),
                    or(sigma, c.sigma()), or(temperature, c.temperature()), or(learnableLayers, stage.learnableLayers(preset)),
                    or(heads, c.heads()), or(embeddingDim, c.dim()), or(subspaceDim, c.subspace()), or(relationNum, c.relations()),
                    trainBackbone, or(seed, 0L), device != null ? device : Settings.current().device(), or(workers, 1),
                    or(logEverySteps, 0), or(maxSteps, 0L), or(saveEverySteps, 0), or(badRecords, BadRecordPolicy.FAIL),
                    or(valRecall, stage == Stage.TWO_STREAM || stage == Stage.RETRIEVAL ? ValidationRecall.DEFAULT_IMAGES : 0),
                    or(selectBy, ValidationRecall.LOSS_SUM));
        }

        private static <T> T or(T value, T dflt) { return value != null ? value : dflt; }
    }
}

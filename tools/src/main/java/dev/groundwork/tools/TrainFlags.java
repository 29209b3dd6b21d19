package dev.groundwork.tools;

import dev.groundwork.models.data.BadRecordPolicy;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.vgbert.recipe.Preset;
import dev.groundwork.models.vgbert.recipe.RunSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.Map;

/**
 * The flags of the original scripts (§8) that every {@code gw train} stage takes (with {@link BatchSizeOption},
 * {@link SeedOption} and {@link DeviceOption}, which other commands share; the flags of some stages only are
 * in {@link StageFlags}), and the names of the {@link RunSettings} they map onto: the flags only carry values, the recipe holds the
 * defaults and the checks. The original scripts' spellings are aliases ({@code --n_epochs}, {@code --exp-dir}).
 * A flag left out is passed as null, "the recipe's default"; those whose
 * default is the stage's own show it in each stage's help ({@link TrainCommand.StageCommand#defaultFor}).
 */
final class TrainFlags {
    /** Each setting of {@link RunSettings} and {@code TrainerConfig} under its flag, for messages about it. */
    static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("preset", "--preset"), Map.entry("dataTrain", "--data-train"), Map.entry("dataVal", "--data-val"),
            Map.entry("vocab", "--vocab"), Map.entry("loadPretrained", "--load-pretrained"), Map.entry("expDir", "--out"), Map.entry("pretrainedVgg", "--pretrained-vgg"), Map.entry("bert", "--bert"), Map.entry("imageRoot", "--images"),
            Map.entry("resume", "--resume"), Map.entry("lr", "--learning-rate"), Map.entry("batchSize", BatchSizeOption.NAME),
            Map.entry("epochs", "--n-epochs"), Map.entry("dropout", "--dropout-rate"), Map.entry("sigma", "--sigma"),
            Map.entry("temperature", "--temperature"), Map.entry("learnableLayers", "--base-model-learnable-layers"),
            Map.entry("heads", "--num-heads"), Map.entry("embeddingDim", "--embedding-dim"), Map.entry("subspaceDim", "--subspace-dim"),
            Map.entry("relationNum", "--relation-num"), Map.entry("trainBackbone", "--train-backbone"), Map.entry("seed", "--seed"),
            Map.entry("device", "--device"), Map.entry("workers", "--workers"), Map.entry("logEverySteps", "--log-every-steps"),
            Map.entry("maxSteps", "--max-steps"), Map.entry("saveEverySteps", "--save-every-steps"), Map.entry("badRecords", "--bad-records"),
            Map.entry("valRecall", "--val-recall"), Map.entry("selectBy", "--select-by"));

    @Option(names = "--data-train", required = true, paramLabel = "FILE",
            description = "training data: two-stream and retrieval: COCO's captions_train2017.json, Karpathy's dataset_coco.json "
                    + "(train + restval) or the original COCO_train2017.json; relational: VG_train.json (gw data prepare-vg); visual: an image-folder root")
    Path dataTrain;

    @Option(names = "--data-val", paramLabel = "FILE",
            description = "validation data, same kinds (dataset_coco.json: its val split); without it the best epoch is chosen on training metrics")
    Path dataVal;

    @Option(names = {"--learning-rate", "--lr"}, paramLabel = "LR", description = "base learning rate (default ${DEFAULT-VALUE})")
    Double learningRate;

    @Option(names = {"--n-epochs", "--n_epochs", "--epochs"}, paramLabel = "N", description = "epochs (default ${DEFAULT-VALUE})")
    Integer epochs;

    @Option(names = "--dropout-rate", paramLabel = "P", description = "dropout in [0,1) (default ${DEFAULT-VALUE}; two-stream BERT is fixed at 0.3)")
    Double dropout;

    @Option(names = "--embedding-dim", paramLabel = "D", description = "embedding dim; must equal the preset's BERT width (768 paper, 64 demo)")
    Integer embeddingDim;

    @Option(names = {"--out", "--exp-dir"}, required = true, paramLabel = "DIR",
            description = "output folder: checkpoint.safetensors, best.safetensors, metrics.jsonl (--exp-dir as the original)")
    Path expDir;

    @Option(names = "--resume", description = "continue from EXP-DIR/checkpoint.safetensors (also one a --max-steps run stopped mid-epoch)")
    boolean resume;

    @Option(names = "--preset", defaultValue = "paper", paramLabel = "NAME", converter = PresetConverter.class,
            description = "network sizes: paper or demo (default ${DEFAULT-VALUE})")
    Preset preset;

    @Option(names = "--workers", paramLabel = "N", description = "data-loading threads, 0 = on the training thread (default 1)")
    Integer workers;

    @Option(names = "--log-every-steps", paramLabel = "N",
            description = "every N optimizer steps, a \"step\" record (mean loss of those steps, lr, samples/s) in metrics.jsonl and a line on stderr (default 0 = off)")
    Integer logEverySteps;

    @Option(names = "--max-steps", paramLabel = "N",
            description = "stop after N optimizer steps in total, counting those before --resume; mid-epoch, the checkpoint resumes at the next batch (default 0 = no limit)")
    Long maxSteps;

    @Option(names = "--save-every-steps", paramLabel = "N",
            description = "also write checkpoint.safetensors every N optimizer steps, mid-epoch included, resumable bit for bit (default 0 = at epoch ends only)")
    Integer saveEverySteps;

    @Option(names = "--bad-records", paramLabel = "fail|skip", converter = BadRecordsConverter.class,
            description = "every record is checked before the first step (fields, files, image headers): fail lists all bad ones and stops; "
                    + "skip trains without them, listing them in EXP-DIR/bad-records-{train,val}.txt (default fail)")
    BadRecordPolicy badRecords;

    /** fail or skip, lower case as typed. */
    static final class BadRecordsConverter implements ITypeConverter<BadRecordPolicy> {
        @Override
        public BadRecordPolicy convert(String v) {
            return switch (v) {
                case "fail" -> BadRecordPolicy.FAIL;
                case "skip" -> BadRecordPolicy.SKIP;
                default -> throw new picocli.CommandLine.TypeConversionException("expected fail or skip, got '" + v + "'");
            };
        }
    }

    /** The message of {@code e} with its setting named by its flag ("--n-epochs must be ..."). */
    static String message(InvalidSettingException e) {
        return FLAGS.getOrDefault(e.setting(), e.setting()) + " " + e.problem();
    }

    /** "paper" or "demo", as the original's lower-case names. */
    static final class PresetConverter implements ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            for (Preset p : Preset.values()) if (p.id().equals(value)) return p;
            throw new TypeConversionException("expected paper or demo, got '" + value + "'");
        }
    }
}

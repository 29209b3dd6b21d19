package dev.groundwork.tools;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.BadRecordPolicy;
import dev.groundwork.models.interbert.recipe.RunOptions;
import dev.groundwork.models.interbert.recipe.WeightDecayRule;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * The flags every {@code gw train interbert-*} command shares, with the original scripts' spellings as
 * aliases ({@code --learning_rate}, {@code --num_train_epochs}, {@code --train_batch_size},
 * {@code --output_dir}, {@code --warmup_proportion}, {@code --config_file}, {@code --seed}). A flag left out
 * is null: the recipe's default (shown in each command's help).
 */
final class InterBertRunFlags {
    /** Each recipe setting under its flag, for messages about it. */
    static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("data", "--data"), Map.entry("vocab", "--vocab"), Map.entry("config", "--config"), Map.entry("expDir", "--exp-dir"),
            Map.entry("lr", "--learning-rate"), Map.entry("batchSize", "--batch-size"), Map.entry("epochs", "--num-train-epochs"),
            Map.entry("warmup", "--warmup-proportion"), Map.entry("fromBert", "--from-bert"), Map.entry("init", "--from-pretrained"),
            Map.entry("emaDecay", "--ema-decay-ratio"), Map.entry("milestones", "--lr-milestones"), Map.entry("rank", "--local-rank"),
            Map.entry("regionClasses", "--region-classes"), Map.entry("weights", "--from-pretrained"), Map.entry("split", "--split"),
            Map.entry("resume", "--resume"), Map.entry("workers", "--workers"), Map.entry("lossWeights", "--loss-weights"),
            Map.entry("weightDecay", "--weight-decay"), Map.entry("weightDecayRule", "--weight-decay-rule"),
            Map.entry("maxSteps", "--max-steps"), Map.entry("logEverySteps", "--log-every-steps"), Map.entry("saveEverySteps", "--save-every-steps"),
            Map.entry("textLength", "--max-seq-length"), Map.entry("headDropout", "--head-dropout"));

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the task's data folder in the original layout")
    Path data;

    @Option(names = {"--exp-dir", "--output_dir"}, required = true, paramLabel = "DIR",
            description = "output: checkpoint.safetensors, best.safetensors (best_ema.safetensors with EMA), metrics.jsonl")
    Path expDir;

    @Mixin InterBertModelOption model;

    @Option(names = {"--learning-rate", "--learning_rate", "--lr"}, paramLabel = "LR", description = "base learning rate (default: the task's, named above)")
    Double lr;

    @Option(names = {"--num-train-epochs", "--num_train_epochs"}, paramLabel = "N", description = "epochs (default: the task's, named above)")
    Integer epochs;

    @Option(names = {"-b", "--batch-size", "--train_batch_size"}, paramLabel = "N", description = "samples (captions, questions) per optimizer step, over all processes under mpirun (default: the task's, named above)")
    Integer batch;

    @Option(names = {"--warmup-proportion", "--warmup_proportion"}, paramLabel = "P", description = "share of t_total warmed up (default 0.1)")
    Double warmup;

    @Option(names = "--weight-decay-rule", paramLabel = "as-coded|standard", converter = RuleConverter.class,
            description = "as-coded (default): decay 0.01 on biases and LayerNorms only, as the original does (spec 8.1); standard: on the weights")
    WeightDecayRule rule;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "BertAdam's decoupled weight decay (default 0.01)")
    Double weightDecay;

    @Option(names = "--resume", description = "continue from EXP-DIR/checkpoint.safetensors, bit for bit on the CPU")
    boolean resume;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "seed of initialisation, dropout, data order and sampling; logged and kept in the checkpoint (default ${DEFAULT-VALUE}, the original's)")
    long seed;

    @Option(names = {"--workers", "--num_workers"}, defaultValue = "1", paramLabel = "N", description = "data-loading threads (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--log-every-steps", defaultValue = "0", paramLabel = "N", description = "a step record and line every N steps (default 0 = off)")
    int logEverySteps;

    @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N", description = "stop after N optimizer steps in total; resumable (default 0 = no limit)")
    long maxSteps;

    @Option(names = "--save-every-steps", defaultValue = "0", paramLabel = "N", description = "also checkpoint every N steps (default 0 = epoch ends)")
    int saveEverySteps;

    @Option(names = "--bad-records", defaultValue = "fail", paramLabel = "fail|skip", converter = TrainFlags.BadRecordsConverter.class,
            description = "records failing the up-front check: fail lists them all and stops; skip trains without them (default ${DEFAULT-VALUE})")
    BadRecordPolicy badRecords;

    RunOptions run(Device device) {
        return new RunOptions(expDir, resume, seed, device, workers, logEverySteps, maxSteps, saveEverySteps, badRecords);
    }

    static String message(dev.groundwork.models.train.InvalidSettingException e) {
        return FLAGS.getOrDefault(e.setting(), e.setting()) + " " + e.problem();
    }

    static final class RuleConverter implements picocli.CommandLine.ITypeConverter<WeightDecayRule> {
        @Override
        public WeightDecayRule convert(String v) {
            try {
                return WeightDecayRule.parse(v);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

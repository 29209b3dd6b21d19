package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.RetrievalSet;
import dev.groundwork.models.data.SynthScenes;
import dev.groundwork.models.eval.RecallAtK;
import dev.groundwork.models.eval.Retrieval;
import dev.groundwork.models.search.Embedder;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.MetricsLog;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.vgbert.recipe.Demo;
import dev.groundwork.models.vgbert.recipe.RunSettings;
import dev.groundwork.models.vgbert.recipe.Stage;
import dev.groundwork.models.vgbert.recipe.StagePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code gw demo}: the {@link Demo} recipe (the VG-BERT pipeline at demo size on synthetic scenes, from
 * random weights, with its documented deviations), then the report: stage 3's relation and object
 * Acc@1 on the val split and the transfer model's retrieval R@1/5/10 on the test split (the COCO
 * protocol: five captions per image), each against chance.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class, subcommands = DemoInterBertCommand.class,
        description = {"Run the VG-BERT pipeline end to end on synthetic scenes at demo size and print relation accuracy and retrieval R@K.",
                "`gw demo interbert` runs the InterBERT pipeline instead."})
public final class DemoCommand implements Callable<Integer>, CommandDefaults.Source {
    @Spec CommandSpec spec;

    /** The folder a demo writes when no --out is given (or the first free demo-out-N beside it). */
    static final Path DEFAULT_OUT = Path.of("demo-out");

    @Option(names = "--out", paramLabel = "DIR",
            description = "working folder (default: demo-out, or demo-out-2, -3, ... when an earlier demo is there); "
                    + "a --out holding an earlier demo needs --overwrite")
    Path out;

    @Option(names = "--overwrite", description = "replace the earlier demo in --out (its data/ and stage folders; nothing else there is touched)")
    boolean overwrite;

    @Option(names = "--json", description = "print the results as one JSON object on stdout (logs stay on stderr)")
    boolean json;

    @Mixin QuietOption quiet;

    @Option(names = "--images", defaultValue = "" + Demo.IMAGES, paramLabel = "N",
            description = "synthetic images, split 80/10/10 into train/val/test (default ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--n-epochs", paramLabel = "N", description = "epochs of every stage (default: two-stream " + Demo.EPOCHS_TWO_STREAM + ", relational " + Demo.EPOCHS_RELATIONAL
                    + ", retrieval " + Demo.EPOCHS_RETRIEVAL + ")")
    Integer epochs;

    @Mixin BatchSizeOption batch;
    @Mixin SeedOption seed;
    @Mixin VocabOption vocab;
    @Mixin DeviceOption device;

    @Override
    public String defaultFor(String option) { return option.equals(BatchSizeOption.NAME) ? Integer.toString(Demo.BATCH_SIZE) : null; }

    @Override
    public Integer call() throws Exception {
        if (images < 20) throw new ParameterException(spec.commandLine(), "--images must be at least 20 (val and test are 10% each), got " + images);
        if (epochs != null && epochs < 1) throw new ParameterException(spec.commandLine(), "--n-epochs must be a positive integer, got " + epochs);
        if (batch.size < 2) throw new ParameterException(spec.commandLine(), "--batch-size must be at least 2 (in-batch negatives), got " + batch.size);
        long t0 = System.nanoTime();
        // With --json, the step lines go to stderr with the logs and stdout holds the JSON alone.
        PrintWriter o = json ? new PrintWriter(new java.io.OutputStreamWriter(quiet.log(), java.nio.charset.StandardCharsets.UTF_8), true)
                : spec.commandLine().getOut();
        Path dir = folders().choose(out, overwrite, "gw demo", spec.commandLine().getErr());
        if (dir == null) return Failures.BAD_INPUT;
        Demo demo = new Demo(dir, epochs, batch.size, seed.seed, vocab.path(), device.resolve());
        java.io.PrintStream log = quiet.log();

        SynthScenes.Summary sum = demo.writeData(images);
        o.printf("1/4 data: %d train, %d val, %d test images in %s%n", sum.train(), sum.val(), sum.test(), demo.data());
        o.flush();

        Trainer.Result r2 = StagePipeline.run(settings(demo, Stage.TWO_STREAM), log);
        o.printf("2/4 two-stream: best epoch %d, val loss sum %.3f%n", r2.bestEpoch(), r2.bestMetric());
        RunSettings s3 = settings(demo, Stage.RELATIONAL);
        Trainer.Result r3 = StagePipeline.run(s3, log);
        o.printf("3/4 relational: best epoch %d, val relation Acc@1 %.1f%%%n", r3.bestEpoch(), r3.bestMetric());
        Trainer.Result r4 = StagePipeline.run(settings(demo, Stage.RETRIEVAL), log);
        o.printf("4/4 retrieval: best epoch %d, val loss sum %.3f%n", r4.bestEpoch(), r4.bestMetric());

        // Report
        int k = s3.config().relations(), c = s3.config().objectClasses();
        MetricsLog relational = new MetricsLog(demo.dir(Stage.RELATIONAL).resolve(Trainer.METRICS));
        JsonNode val = relational.epochRecord(r3.bestEpoch())
                .orElseThrow(() -> new IllegalStateException(relational.file() + " has no record of epoch " + r3.bestEpoch())).path("val");
        o.printf(Locale.ROOT, "relation Acc@1 (val, best epoch) %.1f%% vs chance %.1f%% (the %d real predicates; %d with class 0)%n",
                val.path("relation_acc1").asDouble(Double.NaN), 100.0 / (k - 1), k - 1, k);
        o.printf(Locale.ROOT, "object Acc@1 (val, best epoch) %.1f%% vs chance %.1f%% (%d classes)%n",
                val.path("object_acc1").asDouble(Double.NaN), 100.0 / (c - 1), c - 1);
        List<RetrievalSet.Entry> test = RetrievalSet.karpathy(demo.data().resolve("dataset_coco.json"), demo.data(), "test").entries();
        RecallAtK rk = recall(demo.best(Stage.RETRIEVAL), test, demo.device(), demo.data());
        int n = test.size(), per = RetrievalSet.CAPTIONS;
        o.printf(Locale.ROOT, "retrieval on the %d test images x %d captions: %s%n", n, per, rk);
        o.printf(Locale.ROOT, "  chance: i2t R@1 %.2f R@5 %.2f R@10 %.2f | t2i R@1 %.2f R@5 %.2f R@10 %.2f%n",
                chanceI2t(n, per, 1), chanceI2t(n, per, 5), chanceI2t(n, per, 10), chanceT2i(n, 1), chanceT2i(n, 5), chanceT2i(n, 10));
        double seconds = (System.nanoTime() - t0) / 1e9;
        o.printf(Locale.ROOT, "demo finished in %.0f s%n", seconds);
        o.flush();
        if (json) {
            var j = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            j.put("out", dir.toString());
            j.put("relation_acc1", val.path("relation_acc1").asDouble(Double.NaN)).put("relation_chance", 100.0 / (k - 1));
            j.put("object_acc1", val.path("object_acc1").asDouble(Double.NaN)).put("object_chance", 100.0 / (c - 1));
            j.put("test_images", n).put("captions_per_image", per);
            EvalRetrievalCommand.put(j.putObject("retrieval"), rk);
            j.put("seconds", seconds);
            spec.commandLine().getOut().println(j);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /** The folder a demo writes: its data and its stages' folders. */
    static DemoFolder folders() {
        List<String> parts = new java.util.ArrayList<>(List.of("data"));
        for (Stage s : Demo.STAGES) parts.add(s.id());
        return new DemoFolder(DEFAULT_OUT, parts);
    }

    /** The demo's settings for {@code stage}; a bad value (a missing --vocab) is a usage error naming the flag. */
    private RunSettings settings(Demo demo, Stage stage) {
        try {
            return demo.settings(stage);
        } catch (InvalidSettingException e) {
            throw new ParameterException(spec.commandLine(), TrainFlags.message(e));
        }
    }

    /** R@1/5/10 both ways on the test split with the transfer model in eval mode, as {@code gw eval retrieval} computes it. */
    private RecallAtK recall(Path weights, List<RetrievalSet.Entry> test, Device d, Path data) throws Exception {
        TransferEmbedderFactory f = new TransferEmbedderFactory(vocab.path(), d);
        Embedder e = f.open(weights);
        EvalRetrievalCommand.Embedded s = EvalRetrievalCommand.embed(e, f.imageTransform(e), test, batch.size, data,
                label -> quiet.progress(spec, label.replace("embed ", "embed test ")));
        return Retrieval.evaluate(s.images(), s.captions(), s.owner());
    }

    /** Chance image→text R@K in %: at least one of an image's {@code per} captions among K drawn from n·per without replacement. */
    static double chanceI2t(int n, int per, int k) {
        double miss = 1;
        int all = n * per;
        for (int i = 0; i < Math.min(k, all); i++) miss *= (double) Math.max(0, all - per - i) / (all - i);
        return 100 * (1 - miss);
    }

    /** Chance text→image R@K in %: the one right image among K of n. */
    static double chanceT2i(int n, int k) { return 100.0 * Math.min(k, n) / n; }
}

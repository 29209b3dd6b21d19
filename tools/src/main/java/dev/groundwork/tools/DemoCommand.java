package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.data.SynthScenes;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.train.MetricsLog;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.vgbert.Handoff;
import dev.groundwork.models.vgbert.RetrievalMetrics;
import dev.groundwork.models.vgbert.TransferModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code gw demo}: the whole VG-BERT pipeline at demo size on synthetic scenes, in four steps:
 * (1) draw the data, (2) stage 2 two-stream, (3) stage 3 relational from stage 2's best, (4) retrieval
 * transfer from stage 3's best; then report retrieval R@1/5/10 on the val split and stage 3's val
 * relation Acc@1 against chance. Stage 1 (ImageNet) is skipped: the demo VGG starts from scratch and
 * is trained in stages 2 and 3 (--train-backbone), which the paper does not do.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the VG-BERT pipeline end to end on synthetic scenes at demo size and print retrieval R@K and relation accuracy.")
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "working directory (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--images", defaultValue = "400", paramLabel = "N", description = "synthetic images (default ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--n-epochs", defaultValue = "4", paramLabel = "N", description = "epochs per stage (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--vocab", defaultValue = "../shared/data/bert-base-uncased-vocab.txt", paramLabel = "FILE", description = "bert-base-uncased vocab.txt (default ${DEFAULT-VALUE})")
    Path vocab;

    @Override
    public Integer call() throws Exception {
        if (images < 20) throw new ParameterException(spec.commandLine(), "--images must be at least 20 (the val split is 10%), got " + images);
        if (epochs < 1) throw new ParameterException(spec.commandLine(), "--n-epochs must be a positive integer, got " + epochs);
        if (batch < 2) throw new ParameterException(spec.commandLine(), "--batch-size must be at least 2 (in-batch negatives), got " + batch);
        PrintWriter o = spec.commandLine().getOut();
        Path data = out.resolve("data");

        // 1. data
        SynthScenes.Summary sum = SynthScenes.write(data, images, 64, seed);
        o.printf("1/4 data: %d train, %d val images in %s%n", sum.train(), sum.val(), data);
        o.flush();

        // 2. two-stream (stage 2)
        StageSettings s2 = settings(Stage.TWO_STREAM, data.resolve("COCO_train.json"), data.resolve("COCO_val.json"), null, 1e-3);
        Trainer.Result r2 = StageRunner.run(s2, System.err);
        o.printf("2/4 two-stream: best epoch %d, val loss sum %.3f%n", r2.bestEpoch(), r2.bestMetric());

        // 3. relational (stage 3)
        StageSettings s3 = settings(Stage.RELATIONAL, data.resolve("VG_train.json"), data.resolve("VG_val.json"),
                out.resolve("two-stream").resolve(Trainer.BEST), 1e-3);
        Trainer.Result r3 = StageRunner.run(s3, System.err);
        o.printf("3/4 relational: best epoch %d, val relation Acc@1 %.1f%%%n", r3.bestEpoch(), r3.bestMetric());

        // 4. retrieval transfer
        StageSettings s4 = settings(Stage.RETRIEVAL, data.resolve("COCO_train.json"), data.resolve("COCO_val.json"),
                out.resolve("relational").resolve(Trainer.BEST), 1e-3);
        Trainer.Result r4 = StageRunner.run(s4, System.err);
        o.printf("4/4 retrieval: best epoch %d, val loss sum %.3f%n", r4.bestEpoch(), r4.bestMetric());

        // Report
        double[] rk = recall(s4, out.resolve("retrieval").resolve(Trainer.BEST), data.resolve("COCO_val.json"));
        int n = sum.val();
        o.printf("retrieval on %d val images: image->text R@1 %.1f R@5 %.1f R@10 %.1f | text->image R@1 %.1f R@5 %.1f R@10 %.1f (chance R@1 %.1f)%n",
                n, rk[0], rk[1], rk[2], rk[3], rk[4], rk[5], 100.0 / n);
        int k = s3.config().relations();
        JsonNode best = bestLine(out.resolve("relational").resolve(Trainer.METRICS), r3.bestEpoch());
        o.printf("relation Acc@1 (val, best epoch) %.1f%% vs chance %.1f%% (uniform over K=%d incl. 0) / %.1f%% (over the %d real predicates)%n",
                best.path("val").path("relation_acc1").asDouble(Double.NaN), 100.0 / k, k, 100.0 / (k - 1), k - 1);
        o.flush();
        return 0;
    }

    private StageSettings settings(Stage stage, Path train, Path val, Path pretrained, double lr) {
        TrainFlags f = new TrainFlags();
        f.dataTrain = train;
        f.dataVal = val;
        f.learningRate = lr;   // demo: a larger lr than the paper's, to learn in a few epochs from scratch
        f.batchSize = batch;
        f.epochs = epochs;
        f.sigma = 0.1;
        f.temperature = 1.0;
        f.loadPretrained = pretrained;
        f.expDir = out.resolve(stage.cli);
        f.seed = seed;
        f.preset = TrainFlags.Preset.demo;
        f.vocab = vocab;
        f.workers = 1;
        // No stage 1 here, so the VGG convs would stay at their random init: let stages 2 and 3 train them.
        f.trainBackbone = stage != Stage.RETRIEVAL;
        return StageSettings.resolve(spec, stage, f);
    }

    /** R@1/5/10 both ways over the val split, on the best transfer weights in eval mode. */
    private static double[] recall(StageSettings s, Path weights, Path valJson) throws Exception {
        TransferModel m = new TransferModel(s.config(), new Generator(0));
        Handoff.load(m, Handoff.read(weights), new Handoff.Rule("retrieval best", List.of("image_model", "language_model",
                "cross_attention_model", "image_projection_head", "language_projection_head"), List.of()));
        m.eval();
        List<Tensor> img = new ArrayList<>(), txt = new ArrayList<>();
        try (var g = GradMode.noGrad()) {
            for (CaptionBatch b : StageData.captions(s, BertTokenizer.load(s.flags().vocab), valJson, false).epoch(0)) {
                img.add(m.embedImages(b.images()));
                txt.add(m.embedTexts(b.ids(), b.types(), b.mask()));
            }
        }
        return RetrievalMetrics.recall(F.cat(img, 0), F.cat(txt, 0), new int[]{1, 5, 10});
    }

    private static JsonNode bestLine(Path metrics, int epoch) throws Exception {
        for (JsonNode n : new MetricsLog(metrics).read()) if (n.path("epoch").asInt() == epoch) return n;
        throw new IllegalStateException(metrics + " has no line for epoch " + epoch);
    }
}

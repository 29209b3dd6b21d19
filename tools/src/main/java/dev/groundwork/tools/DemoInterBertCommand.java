package dev.groundwork.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.models.interbert.data.InterBertSynth;
import dev.groundwork.models.interbert.eval.RetrievalEvaluation;
import dev.groundwork.models.interbert.recipe.InterBertDemo;
import dev.groundwork.models.interbert.recipe.VcrEvaluation;
import dev.groundwork.models.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code gw demo interbert}: the {@link InterBertDemo} recipe (synthetic data, a small InterBERT from random
 * weights, its documented deviations), printing each figure next to chance. Its folder is chosen as
 * {@code gw demo}'s ({@link DemoFolder}), so running it twice works.
 */
@Command(name = "interbert", mixinStandardHelpOptions = true,
        description = "InterBERT end to end on synthetic data at demo size: pretraining, zero-shot retrieval, Flickr-style fine-tuning, retrieval, VCR.")
final class DemoInterBertCommand implements Callable<Integer> {
    static final DemoFolder FOLDERS = new DemoFolder(Path.of("demo-interbert-out"), InterBertDemo.OUTPUTS);

    @Spec CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR",
            description = "working folder (default: demo-interbert-out, or demo-interbert-out-2, -3, ... when an earlier demo is there); "
                    + "a --out holding an earlier demo needs --overwrite")
    Path out;

    @Option(names = "--overwrite", description = "replace the earlier demo in --out (only what the demo writes there)")
    boolean overwrite;

    @Option(names = "--json", description = "print the results as one JSON object on stdout (logs stay on stderr)")
    boolean json;

    @Option(names = "--images", defaultValue = "" + InterBertDemo.IMAGES, paramLabel = "N", description = "synthetic images (default ${DEFAULT-VALUE})")
    int images;

    @Mixin QuietOption quiet;
    @Mixin SeedOption seed;
    @Mixin VocabOption vocab;
    @Mixin DeviceOption device;

    @Override
    public Integer call() throws Exception {
        if (images < 20) throw new ParameterException(spec.commandLine(), "--images must be at least 20, got " + images);
        long t0 = System.nanoTime();
        PrintStream log = quiet.log();
        // With --json, the step lines go to the log with the rest and stdout holds the JSON alone.
        PrintWriter o = json ? new PrintWriter(new OutputStreamWriter(log, StandardCharsets.UTF_8), true) : spec.commandLine().getOut();
        Path dir = FOLDERS.choose(out, overwrite, "gw demo interbert", spec.commandLine().getErr());
        if (dir == null) return Failures.BAD_INPUT;
        InterBertDemo demo = new InterBertDemo(dir, vocab.path(), seed.seed, device.resolve(), images, 1);
        InterBertSynth.Summary s = demo.writeData();
        o.printf("1/6 data: %d pretraining pairs, %d/%d/%d Flickr-style train/val/test images, %d/%d VCR questions in %s%n", s.pretrainTrain(),
                s.flickrTrain(), s.flickrVal(), s.flickrTest(), s.vcrTrain(), s.vcrVal(), demo.data());
        o.flush();
        Trainer.Result pre = demo.pretrain(log);
        o.printf(Locale.ROOT, "2/6 pretraining: %d steps, best val loss %.3f (epoch %d)%n", pre.steps(), pre.bestMetric(), pre.bestEpoch());
        o.flush();
        RetrievalEvaluation.Result zs = demo.retrieval(true, log);
        o.print("3/6 ");
        EvalInterBertCommand.print(o, zs, true);
        o.flush();
        Trainer.Result ft = demo.fineTuneFlickr(log);
        o.printf(Locale.ROOT, "4/6 Flickr fine-tuning: %d steps, best val score %.1f%% (epoch %d; chance 25%%)%n", ft.steps(), ft.bestMetric(), ft.bestEpoch());
        RetrievalEvaluation.Result fine = demo.retrieval(false, log);
        o.print("5/6 ");
        EvalInterBertCommand.print(o, fine, false);
        o.flush();
        demo.fineTuneVcr(log);
        VcrEvaluation.Result vcr = demo.vcr(log);
        o.print("6/6 VCR val: ");
        EvalInterBertCommand.print(o, vcr);
        double seconds = (System.nanoTime() - t0) / 1e9;
        o.printf(Locale.ROOT, "demo finished in %.0f s%n", seconds);
        o.flush();
        if (json) {
            ObjectNode j = new ObjectMapper().createObjectNode();
            j.put("out", dir.toString()).put("seed", seed.seed);
            j.set("zero_shot", EvalInterBertCommand.json(zs));
            j.put("flickr_val_score", ft.bestMetric()).put("flickr_val_chance", 25.0);
            j.set("fine_tuned", EvalInterBertCommand.json(fine));
            j.set("vcr", EvalInterBertCommand.json(vcr));
            j.put("seconds", seconds);
            spec.commandLine().getOut().println(j);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}

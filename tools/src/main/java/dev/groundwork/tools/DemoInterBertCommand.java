package dev.groundwork.tools;

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

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code gw demo interbert}: the {@link InterBertDemo} recipe (synthetic data, a small InterBERT from random
 * weights, its documented deviations), printing each figure next to chance.
 */
@Command(name = "interbert", mixinStandardHelpOptions = true,
        description = "InterBERT end to end on synthetic data at demo size: pretraining, zero-shot retrieval, Flickr-style fine-tuning, retrieval, VCR.")
final class DemoInterBertCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", defaultValue = "demo-interbert-out", paramLabel = "DIR", description = "working directory (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--images", defaultValue = "" + InterBertDemo.IMAGES, paramLabel = "N", description = "synthetic images (default ${DEFAULT-VALUE})")
    int images;

    @Mixin SeedOption seed;
    @Mixin VocabOption vocab;
    @Mixin DeviceOption device;

    @Override
    public Integer call() throws Exception {
        if (images < 20) throw new ParameterException(spec.commandLine(), "--images must be at least 20, got " + images);
        long t0 = System.nanoTime();
        PrintWriter o = spec.commandLine().getOut();
        InterBertDemo demo = new InterBertDemo(out, vocab.path(), seed.seed, device.resolve(), images, 1);
        InterBertSynth.Summary s = demo.writeData();
        o.printf("1/6 data: %d pretraining pairs, %d/%d/%d Flickr-style train/val/test images, %d/%d VCR questions in %s%n", s.pretrainTrain(),
                s.flickrTrain(), s.flickrVal(), s.flickrTest(), s.vcrTrain(), s.vcrVal(), demo.data());
        o.flush();
        Trainer.Result pre = demo.pretrain(System.err);
        o.printf(Locale.ROOT, "2/6 pretraining: %d steps, best val loss %.3f (epoch %d)%n", pre.steps(), pre.bestMetric(), pre.bestEpoch());
        o.flush();
        RetrievalEvaluation.Result zs = demo.retrieval(true, System.err);
        o.print("3/6 ");
        EvalInterBertCommand.print(o, zs, true);
        o.flush();
        Trainer.Result ft = demo.fineTuneFlickr(System.err);
        o.printf(Locale.ROOT, "4/6 Flickr fine-tuning: %d steps, best val score %.1f%% (epoch %d; chance 25%%)%n", ft.steps(), ft.bestMetric(), ft.bestEpoch());
        RetrievalEvaluation.Result fine = demo.retrieval(false, System.err);
        o.print("5/6 ");
        EvalInterBertCommand.print(o, fine, false);
        o.flush();
        demo.fineTuneVcr(System.err);
        VcrEvaluation.Result vcr = demo.vcr(System.err);
        o.printf(Locale.ROOT, "6/6 VCR val: %s; chance Q->A 25%%, QA->R 25%%, Q->AR 6.25%%%n", vcr);
        o.printf(Locale.ROOT, "demo finished in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        o.flush();
        return 0;
    }
}

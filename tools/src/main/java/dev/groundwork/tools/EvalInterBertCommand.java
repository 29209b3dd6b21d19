package dev.groundwork.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.interbert.eval.RetrievalEvaluation;
import dev.groundwork.models.interbert.eval.RetrievalMetrics;
import dev.groundwork.models.interbert.recipe.RetrievalRun;
import dev.groundwork.models.interbert.recipe.RunOptions;
import dev.groundwork.models.interbert.recipe.VcrEvaluation;
import dev.groundwork.models.interbert.recipe.VcrSettings;
import dev.groundwork.models.train.InvalidSettingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code gw eval interbert-retrieval} and {@code gw eval vcr}: the InterBERT evaluations (spec 5). */
final class EvalInterBertCommand {
    private EvalInterBertCommand() {}

    @Command(name = "interbert-retrieval", mixinStandardHelpOptions = true,
            description = {"Flickr30K caption->image retrieval as the original evaluates it (spec 5.1): every caption against every image",
                    "through the ITM head; R@1/5/10, median and mean rank, the top-20 dump; image->text too (our addition).",
                    "The score matrix is written in blocks to OUT/scores: run the same command again to continue a stopped evaluation."})
    static final class Retrieval implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin VocabOption vocab;
        @Mixin DeviceOption device;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "the Flickr30K folder (features LMDB and the jsonline splits)")
        Path data;

        @Option(names = {"--from-pretrained", "--from_pretrained"}, required = true, paramLabel = "PATH",
                description = "weights: fine-tuned (best_ema.safetensors, pytorch_model_N_ema.bin) or, with --zero-shot, pretrained")
        Path weights;

        @Option(names = {"--zero-shot", "--zero_shot"}, description = "score with the pretraining model's ITM head, no fine-tuning")
        boolean zeroShot;

        @Option(names = "--split", defaultValue = "test_set0", paramLabel = "NAME", description = "all_data_final_NAME_2014.jsonline (default ${DEFAULT-VALUE})")
        String split;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "scores/, NAME_result.json, retrieval.json")
        Path out;

        @Mixin InterBertModelOption model;
        @Mixin InterBertModelOption.RegionClasses regionClasses;

        @Option(names = "--pairs-per-forward", defaultValue = "500", paramLabel = "P", description = "pairs scored in one forward (default ${DEFAULT-VALUE}, the original's)")
        int pairs;

        @Option(names = "--captions-per-chunk", defaultValue = "50", paramLabel = "N", description = "caption rows per score file (default ${DEFAULT-VALUE})")
        int chunk;

        @Option(names = "--regions", defaultValue = "102", paramLabel = "R", description = "image rows with the global token (default ${DEFAULT-VALUE})")
        int regions;

        @Option(names = "--json", description = "print the results as one JSON object on stdout (logs stay on stderr)")
        boolean json;

        @Override
        public Integer call() {
            try {
                RetrievalRun r;
                try {
                    r = new RetrievalRun(data, split, vocab.path(), model.config, model.size, regionClasses.value, weights, zeroShot, out,
                            new RetrievalEvaluation.Options(30, regions, pairs, chunk, 50), device.resolve());
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e instanceof InvalidSettingException i ? InterBertRunFlags.message(i) : e.getMessage());
                }
                RetrievalEvaluation.Result res = r.run(System.err);
                PrintWriter o = spec.commandLine().getOut();
                if (json) o.println(json(res));
                else print(o, res, zeroShot);
                o.flush();
                return 0;
            } catch (InvalidSettingException e) {
                return Failures.report(spec, weights, new IllegalArgumentException(InterBertRunFlags.message(e)));
            } catch (IOException | DataException | IllegalArgumentException | IllegalStateException e) {
                return Failures.report(spec, weights, e);
            }
        }
    }

    /** VCR's figures beside chance. */
    static void print(PrintWriter o, VcrEvaluation.Result r) {
        o.printf(Locale.ROOT, "%s; chance Q->A 25%%, QA->R 25%%, Q->AR 6.25%%%n", r);
    }

    /** {@code --json}: both directions' R@1/5/10, ranks and chance, the pairs scored. */
    static ObjectNode json(RetrievalEvaluation.Result res) {
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.put("captions", res.captions()).put("images", res.images()).put("pairs_computed", res.pairsComputed());
        direction(j.putObject("caption_to_image"), res.metrics().captionToImage());
        direction(j.putObject("image_to_text"), res.metrics().imageToText());
        return j;
    }

    private static void direction(ObjectNode j, RetrievalMetrics.Direction d) {
        j.put("r1", d.r1()).put("r5", d.r5()).put("r10", d.r10()).put("median_rank", d.medianRank()).put("mean_rank", d.meanRank());
        j.put("chance_r1", d.chance(1)).put("chance_r5", d.chance(5)).put("chance_r10", d.chance(10));
    }

    /** {@code --json}: Q→A, QA→R, Q→AR (percent) with chance and the question count. */
    static ObjectNode json(VcrEvaluation.Result r) {
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.put("q_a", r.qa()).put("qa_r", r.qar()).put("q_ar", r.qar2()).put("questions", r.questions());
        j.put("chance_q_a", 25.0).put("chance_qa_r", 25.0).put("chance_q_ar", 6.25);
        return j;
    }

    /** The figures, each beside chance. */
    static void print(PrintWriter o, RetrievalEvaluation.Result res, boolean zeroShot) {
        RetrievalMetrics.Direction t = res.metrics().captionToImage(), i = res.metrics().imageToText();
        o.printf(Locale.ROOT, "%s caption->image (%d captions x %d images): %s%n", zeroShot ? "zero-shot" : "fine-tuned", res.captions(), res.images(), t);
        o.printf(Locale.ROOT, "  chance: R@1 %.2f R@5 %.2f R@10 %.2f%n", t.chance(1), t.chance(5), t.chance(10));
        o.printf(Locale.ROOT, "image->text (our addition, not the paper's protocol): %s%n", i);
    }

    @Command(name = "vcr", mixinStandardHelpOptions = true,
            description = {"VCR Q->A, QA->R and Q->AR on val.jsonl (spec 5.2) with fine-tuned weights; writes QA_result.json and",
                    "QAR_result.json (per-question probabilities in the annotation order, as the original's eval_tasks.py) and vcr.json."})
    static final class Vcr implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin VocabOption vocab;
        @Mixin DeviceOption device;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "the VCR folder")
        Path data;

        @Option(names = {"--from-pretrained", "--from_pretrained"}, required = true, paramLabel = "PATH", description = "fine-tuned VCR weights (best_ema.safetensors)")
        Path weights;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the result files go")
        Path out;

        @Mixin InterBertModelOption model;
        @Mixin InterBertModelOption.RegionClasses regionClasses;

        @Option(names = {"-b", "--batch-size", "--batch_size"}, defaultValue = "16", paramLabel = "N", description = "questions per forward (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--regions", defaultValue = "100", paramLabel = "R", description = "image rows (default ${DEFAULT-VALUE})")
        int regions;

        @Option(names = "--json", description = "print the results as one JSON object on stdout (logs stay on stderr)")
        boolean json;

        @Override
        public Integer call() {
            try {
                VcrSettings s;
                try {
                    VcrSettings d = VcrSettings.defaults(data, vocab.path(), weights, RunOptions.of(out, 0).withDevice(device.resolve()));
                    s = new VcrSettings(d.data(), d.vocab(), model.config, model.size, weights, regionClasses.value, d.lr(), batch, 1, d.warmup(), 0,
                            d.weightDecayRule(), d.weightDecay(), d.qaLength(), d.qarLength(), regions, d.run());
                } catch (InvalidSettingException e) {
                    throw new ParameterException(spec.commandLine(), InterBertRunFlags.message(e));
                }
                VcrEvaluation.Result r = VcrEvaluation.run(s, out, System.err);
                PrintWriter o = spec.commandLine().getOut();
                if (json) o.println(json(r));
                else print(o, r);
                o.flush();
                return 0;
            } catch (InvalidSettingException e) {
                return Failures.report(spec, weights, new IllegalArgumentException(InterBertRunFlags.message(e)));
            } catch (IOException | DataException | IllegalArgumentException | IllegalStateException e) {
                return Failures.report(spec, weights, e);
            }
        }
    }
}

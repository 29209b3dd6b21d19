package dev.groundwork.tools;

import dev.groundwork.engine.io.AtomicFiles;
import dev.groundwork.models.embed.EmbedSettings;
import dev.groundwork.models.embed.Pooling;
import dev.groundwork.models.embed.TextEmbedder;
import dev.groundwork.models.train.Progress;
import dev.groundwork.models.eval.semantic.NormsPrediction;
import dev.groundwork.models.eval.semantic.ResultsMarkdown;
import dev.groundwork.models.eval.semantic.SemanticEvaluation;
import dev.groundwork.models.eval.semantic.SemanticResults;
import dev.groundwork.models.eval.semantic.Silhouette;
import dev.groundwork.models.eval.semantic.WordVectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code gw eval semantic}: VG-BERT's semantic evaluation (spec §7) of several models side by side. */
@Command(name = "semantic", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
        description = "Compare word spaces on VG-BERT's semantic evaluations (spec §7): principal axis vs concreteness on SemCat, "
                + "word categorisation (silhouettes per SemCat category, paired Wilcoxon tests), semantic norms from a CSLB-layout "
                + "feature_matrix.dat (--norms), and compositional inference (--probe). Writes OUT/results.json, OUT/results.md and "
                + "the PNGs; prints the Markdown table (or, with --json, the JSON).")
public final class EvalSemanticCommand implements Callable<Integer>, CommandDefaults.Source {
    /** Relative to the repository root, where {@code ./gw} runs. */
    static final String SEMCAT = "../shared/data/semcat";

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME=SOURCE",
            description = "a model to compare (repeatable): a Hugging Face folder, a VG-BERT/InterBERT checkpoint, a run folder, "
                    + "untrained:demo[:SEED], or an embedding table written by gw embed (.safetensors, or .npy with its .texts.txt)")
    List<String> models;

    @Option(names = "--semcat", defaultValue = SEMCAT, paramLabel = "DIR", description = "folder of the four SemCat .npy files (default ${DEFAULT-VALUE})")
    Path semcat;

    @Option(names = "--norms", paramLabel = "FILE", description = "CSLB-layout feature_matrix.dat; without it the norms are not evaluated")
    Path norms;

    @Option(names = "--norm-types", paramLabel = "FILE", description = "the features' types (CSLB's norms.dat layout; default: norms.dat beside --norms)")
    Path normTypes;

    @Option(names = "--probe", paramLabel = "PHRASE=TARGET", description = "compositional inference probe (repeatable; default \"striped horse=zebra\")")
    List<String> probes;

    @Option(names = "--words", paramLabel = "FILE", description = "candidate words of the probes, one per line or a unicode .npy (default: SemCat's words)")
    Path words;

    @Option(names = "--nearest", defaultValue = "5", paramLabel = "K", description = "nearest words listed per probe (default ${DEFAULT-VALUE})")
    int nearest;

    @Option(names = "--improved", defaultValue = "10", paramLabel = "K", description = "most improved categories listed per model (default ${DEFAULT-VALUE})")
    int improved;

    @Option(names = "--metric", defaultValue = "cosine", paramLabel = "cosine|euclidean", description = "silhouette distance (default ${DEFAULT-VALUE})")
    String metric;

    @Option(names = "--pooling", defaultValue = "object", paramLabel = "object|mean|cls",
            description = "word vectors of the models (default ${DEFAULT-VALUE}: Bert_object on \"[CLS] word [SEP]\", spec §9.25)")
    String pooling;

    @Option(names = "--layer", paramLabel = "N", description = "hidden_states index of the word vectors (default: last)")
    Integer layer;

    @Option(names = "--max-length", paramLabel = "N", description = "tokens per text (default: the model's L for object)")
    Integer maxLength;

    @Option(names = "--token-type", paramLabel = "0|1", description = "segment id (default: 1 for object, else the model's)")
    Integer tokenType;

    @Option(names = "--folds", defaultValue = "5", paramLabel = "K", description = "cross-validation folds of the norms (default ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--min-positives", defaultValue = "5", paramLabel = "N", description = "norms: features with at least N concepts (default ${DEFAULT-VALUE})")
    int minPositives;

    @Option(names = "--out", defaultValue = "semantic-eval", paramLabel = "DIR", description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--json", description = "print results.json on stdout instead of the Markdown")
    boolean json;

    @Mixin BatchSizeOption batch;
    @Mixin VocabOption vocab;
    @Mixin DeviceOption device;
    @Mixin SeedOption seed;

    @Override
    public String defaultFor(String option) { return option.equals(BatchSizeOption.NAME) ? "64" : null; }

    @Override
    public Integer call() {
        int batchSize = batch.positive();
        Pooling p;
        Silhouette.Metric m;
        List<SemanticEvaluation.Probe> ps = new ArrayList<>();
        NormsPrediction.Settings ns;
        try {
            p = Pooling.parse(pooling);
            if (p == Pooling.NONE) throw new IllegalArgumentException("pooling none gives no word vectors; use object, mean or cls");
            m = Silhouette.Metric.parse(metric);
            for (String s : probes == null ? List.of("striped horse=zebra") : probes) ps.add(SemanticEvaluation.Probe.parse(s));
            ns = new NormsPrediction.Settings(folds, minPositives, 1.0, seed.seed);
            if (nearest < 1 || improved < 1) throw new IllegalArgumentException("--nearest and --improved must be at least 1");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!Files.isDirectory(semcat)) return Failures.report(spec, semcat, new IOException(semcat + ": no such folder (--semcat)"));
        if (norms != null && !Files.isRegularFile(norms)) return Failures.report(spec, norms, new IOException(norms + ": no such file (--norms)"));
        PrintWriter err = spec.commandLine().getErr();
        EmbedSettings settings = new EmbedSettings(p, layer, maxLength, batchSize, tokenType);
        List<WordVectors> vectors = new ArrayList<>();
        for (String s : models) {
            ModelSource.Named n = ModelSource.Named.parse(s);
            try {
                vectors.add(ModelSource.vectors(n, settings, vocab.path, device.resolve()));
            } catch (IOException | RuntimeException e) {
                return Failures.report(spec, Path.of(n.source()), e);
            }
        }
        SemanticEvaluation.Log log = new SemanticEvaluation.Log() {
            @Override public void line(String text) { err.println(text); err.flush(); }

            @Override public TextEmbedder.Progress progress(String label) { return new Progress(err, label)::count; }
        };
        SemanticResults r;
        try {
            r = SemanticEvaluation.run(vectors, new SemanticEvaluation.Settings(semcat, norms, normTypes, ps, words, nearest, improved, m, ns), log);
        } catch (IOException | RuntimeException e) {
            return Failures.report(spec, norms != null && e.getMessage() != null && e.getMessage().contains(norms.toString()) ? norms : semcat, e);
        }
        try {
            Files.createDirectories(out);
            String md = ResultsMarkdown.render(r), js = r.toJson();
            AtomicFiles.writeString(out.resolve("results.json"), js + "\n");
            AtomicFiles.writeString(out.resolve("results.md"), md);
            List<Path> pngs = SemanticCharts.write(r, out);
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.println(json ? js : md);
            stdout.flush();
            err.println("wrote " + out.resolve("results.json") + ", " + out.resolve("results.md") + " and " + pngs.size() + " PNG(s) in " + out);
            err.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            return Failures.report(spec, out, e);
        }
    }
}

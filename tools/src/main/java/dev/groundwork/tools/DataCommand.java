package dev.groundwork.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.SynthScenes;
import dev.groundwork.models.data.inspect.DatasetInspector;
import dev.groundwork.models.interbert.data.InterBertSynth;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code gw data ...}: dataset utilities. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Dataset utilities.",
        subcommands = {DataCommand.Synth.class, DataCommand.Inspect.class, PrepareVgCommand.class})
public final class DataCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** {@code gw data inspect PATH [--json]}: what is in a dataset, in expected.json's field names. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Show what is in a dataset the project reads: record counts, ids, per image num_boxes, height, width, "
                    + "the float64 sum of the raw features (feat_sum) and captions.",
                    "InterBERT: a tensorpack pretraining LMDB, a ViLBERT feature LMDB, a Flickr30K .jsonline or hard_negative.pkl, "
                            + "a VCR .jsonl, or a folder laid out like the original data (concap/, flickr30k/, VCR/); "
                            + "VG-BERT: COCO/VG index files, dataset_coco.json, an image folder."})
    static final class Inspect implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATH", description = "a dataset file or folder")
        Path path;

        @Option(names = "--json", description = "print JSON (the field names of the fixtures' expected.json)")
        boolean json;

        @Override
        public Integer call() {
            JsonNode n;
            try {
                n = DatasetInspector.inspect(path);
            } catch (DataException | RuntimeException e) {
                return Failures.report(spec, path, e);
            }
            PrintWriter o = spec.commandLine().getOut();
            try {
                o.println(json ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(n) : path + ": " + DatasetInspector.text(n).strip());
            } catch (IOException e) {
                return Failures.report(spec, path, e);
            }
            o.flush();
            return 0;
        }
    }

    /** {@code gw data synth OUT}: synthetic data, VG-BERT's shapes or InterBERT's original formats. */
    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Draw a synthetic dataset.",
                    "--kind vgbert: coloured shapes with captions and spatial relations (COCO_*.json, VG_*.json, dataset_coco.json, images/, captions/).",
                    "--kind interbert: regions of objects with a class, colour and size in InterBERT's original formats "
                            + "(concap/ tensorpack LMDBs, flickr30k/ feature LMDB + jsonlines + hard_negative.pkl, VCR/ feature LMDBs + jsonl + metadata)."})
    static final class Synth implements Callable<Integer> {
        enum Kind { vgbert, interbert }

        enum Preset { full, small }

        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "OUT", description = "output directory (created if missing)")
        Path out;

        @Option(names = "--kind", defaultValue = "vgbert", description = "vgbert or interbert (default ${DEFAULT-VALUE})")
        Kind kind;

        @Option(names = "--images", description = "number of images (default: 2500 for vgbert, as gw demo; 200 for interbert, 60 with --preset small)")
        Integer images;

        @Option(names = "--size", defaultValue = "48", description = "vgbert: image side in pixels (default ${DEFAULT-VALUE}, what the demo preset takes)")
        int size;

        @Option(names = "--preset", defaultValue = "full", description = "interbert: full (2048 features, 1601 classes) or small (64, 32: for demos and tests)")
        Preset preset;

        @Option(names = "--features", description = "interbert: region feature size F (overrides the preset)")
        Integer features;

        @Option(names = "--classes", description = "interbert: detector class count C (overrides the preset)")
        Integer classes;

        @CommandLine.Mixin SeedOption seed;

        @Override
        public Integer call() {
            if (kind == Kind.interbert) return interbert();
            int images = this.images == null ? 2500 : this.images;
            if (images < 1 || size < 12) {
                spec.commandLine().getErr().println("gw synth: need --images >= 1 and --size >= 12");
                spec.commandLine().getErr().flush();
                return Failures.BAD_INPUT;
            }
            SynthScenes.Summary s;
            try {
                s = SynthScenes.write(out, images, size, seed.seed);
            } catch (IOException | RuntimeException e) {
                return Failures.report(spec, out, e);
            }
            PrintWriter o = spec.commandLine().getOut();
            o.printf("%s: %d images of %dx%d (train %d, val %d, test %d), seed %d; object classes %d, predicates %d%n",
                    out, s.images(), size, size, s.train(), s.val(), s.test(), seed.seed,
                    SynthScenes.OBJECT_CLASSES, SynthScenes.PREDICATE_COUNT);
            o.flush();
            return 0;
        }

        private Integer interbert() {
            InterBertSynth.Options opt = preset == Preset.small ? InterBertSynth.Options.SMALL : InterBertSynth.Options.DEFAULT;
            InterBertSynth.Summary s;
            try {
                opt = opt.withSeed(seed.seed).withImages(images == null ? opt.images() : images)
                        .withSizes(features == null ? opt.featureSize() : features, classes == null ? opt.classes() : classes);
                s = InterBertSynth.write(out, opt);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("gw synth: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return Failures.BAD_INPUT;
            } catch (IOException | RuntimeException e) {
                return Failures.report(spec, out, e);
            }
            PrintWriter o = spec.commandLine().getOut();
            o.printf("%s: InterBERT synthetic data, %d images, %d features, %d classes, seed %d: pretraining %d + %d, Flickr30K %d / %d / %d, VCR %d / %d%n",
                    out, opt.images(), opt.featureSize(), opt.classes(), seed.seed, s.pretrainTrain(), s.pretrainVal(),
                    s.flickrTrain(), s.flickrVal(), s.flickrTest(), s.vcrTrain(), s.vcrVal());
            o.flush();
            return 0;
        }
    }
}

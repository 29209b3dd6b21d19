package dev.groundwork.tools;

import dev.groundwork.models.data.SynthScenes;
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
        subcommands = {DataCommand.Synth.class})
public final class DataCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** {@code gw data synth OUT}: the synthetic shapes dataset in COCO, VG and Karpathy formats. */
    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = "Draw a synthetic dataset of coloured shapes with captions and spatial relations "
                    + "(COCO_*.json, VG_*.json, dataset_coco.json, images/, captions/).")
    static final class Synth implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "OUT", description = "output directory (created if missing)")
        Path out;

        @Option(names = "--images", defaultValue = "2500", description = "number of images (default ${DEFAULT-VALUE}, as gw demo)")
        int images;

        @Option(names = "--size", defaultValue = "48", description = "image side in pixels (default ${DEFAULT-VALUE}, what the demo preset takes)")
        int size;

        @CommandLine.Mixin SeedOption seed;

        @Override
        public Integer call() {
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
    }
}

package dev.groundwork.tools;

import dev.groundwork.models.data.BadRecordPolicy;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.vg.VgPrepare;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code gw data prepare-vg VG_DIR --out DIR}: Visual Genome as downloaded into stage 3's records ({@link VgPrepare}, which states every choice). */
@Command(name = "prepare-vg", mixinStandardHelpOptions = true,
        description = {"Turn Visual Genome as downloaded (image_data.json, relationships.json, attributes.json) into stage 3's "
                + "VG_train.json and VG_val.json (spec 4.1), with predicates.tsv, object_classes.tsv and prepare-vg.json (choices and counts).",
                "Predicates: the K-1 most frequent relationship synsets; classes: the C-1 most frequent object synsets (others class 0, ignored); "
                        + "objects: the ends of kept relationships, at most O; descriptions: first attribute + name; "
                        + "val: a hash of the image id; with --karpathy, COCO's Karpathy test images are left out. "
                        + "The original repo never published its own recipe."})
final class PrepareVgCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VG_DIR", description = "the folder with image_data.json, relationships.json and (optional) attributes.json")
    Path vg;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the records and lists are written")
    Path out;

    @Option(names = "--images", paramLabel = "DIR", description = "the folder holding VG_100K/ and VG_100K_2/ (default: VG_DIR)")
    Path images;

    @Option(names = "--predicates", defaultValue = "114", paramLabel = "N",
            description = "predicates kept, K-1 (default ${DEFAULT-VALUE}: the paper's --relation-num 115)")
    int predicates;

    @Option(names = "--object-classes", defaultValue = "55", paramLabel = "N", description = "object classes kept, C-1 (default ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--max-objects", defaultValue = "32", paramLabel = "O", description = "objects per image, O (default ${DEFAULT-VALUE})")
    int maxObjects;

    @Option(names = "--val-fraction", defaultValue = "0.05", paramLabel = "F", description = "share of images in val (default ${DEFAULT-VALUE})")
    double valFraction;

    @Option(names = "--bad-records", paramLabel = "fail|skip", defaultValue = "fail", converter = TrainFlags.BadRecordsConverter.class,
            description = "fail lists every bad record and stops; skip leaves those images out (default ${DEFAULT-VALUE})")
    BadRecordPolicy badRecords;

    @Option(names = "--karpathy", paramLabel = "JSON",
            description = "Karpathy's dataset_coco.json: Visual Genome images that are COCO images of its test split are left out "
                    + "of both splits, so stage 3 never trains on the retrieval evaluation's images (the count is printed)")
    Path karpathy;

    @Override
    public Integer call() {
        VgPrepare.Options o;
        if (karpathy != null && !Files.isRegularFile(karpathy)) throw new ParameterException(spec.commandLine(), "--karpathy " + karpathy + ": no such file");
        try {
            o = new VgPrepare.Options(vg, images, out, predicates, classes, maxObjects, valFraction, badRecords, karpathy);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!Files.isDirectory(vg)) throw new ParameterException(spec.commandLine(), "VG_DIR " + vg + " is not a folder");
        PrintWriter err = spec.commandLine().getErr();
        VgPrepare.Summary s;
        try {
            s = VgPrepare.run(o, line -> { err.println(line); err.flush(); });
        } catch (DataException | IOException | RuntimeException e) {
            return Failures.report(spec, vg, e);
        }
        PrintWriter o2 = spec.commandLine().getOut();
        o2.printf("%s: %d train and %d val images; %d predicates (--relation-num %d), %d object classes%n",
                out, s.train(), s.val(), s.predicates(), s.predicates() + 1, s.classes());
        s.counts().forEach((k, v) -> o2.printf("  %s: %d%n", k, v));
        o2.printf("  lists: %s, %s; summary: %s%n", out.resolve(VgPrepare.PREDICATES), out.resolve(VgPrepare.CLASSES), out.resolve(VgPrepare.SUMMARY));
        o2.flush();
        return 0;
    }
}

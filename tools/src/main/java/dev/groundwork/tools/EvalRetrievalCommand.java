package dev.groundwork.tools;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.RetrievalSet;
import dev.groundwork.models.eval.RecallAtK;
import dev.groundwork.models.eval.Retrieval;
import dev.groundwork.models.search.Embedder;
import dev.groundwork.models.train.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code gw eval retrieval}: COCO image↔caption Recall@K. Not part of the original VG-BERT (spec
 * §5.3 has no retrieval metric); this is the usual Karpathy-split protocol on the transfer model's
 * cosine similarity.
 */
@Command(name = "retrieval", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
        description = {"COCO cross-modal retrieval: R@1/5/10 image->text and text->image on the Karpathy split,",
                "5k (all test images) and/or 1k (five folds of 1000, averaged). Ties count against the model.",
                "By default (both) a split of other sizes gets the protocol that fits: all its images, and the 1k folds "
                        + "only when there are 5000 images (the line says which)."})
public final class EvalRetrievalCommand implements Callable<Integer>, CommandDefaults.Source {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "CKPT", description = "VG-BERT transfer checkpoint")
    Path model;

    @Option(names = "--karpathy", required = true, paramLabel = "JSON", description = "Karpathy split file (dataset_coco.json)")
    Path karpathy;

    @Option(names = "--images", paramLabel = "DIR",
            description = "COCO image root (holds the split's filepath folders, or train2017/ and val2017/; default: the split file's folder)")
    Path images;

    @Option(names = "--json", description = "print the results as one JSON object on stdout")
    boolean json;

    @Option(names = "--protocol", paramLabel = "1k|5k|both", defaultValue = "both", description = "default ${DEFAULT-VALUE}")
    String protocol;

    @Option(names = "--split", paramLabel = "NAME", defaultValue = "test", description = "default ${DEFAULT-VALUE}")
    String split;

    @Mixin BatchSizeOption batch;
    @Mixin VocabOption vocab;
    @Mixin DeviceOption device;
    @Mixin QuietOption quiet;

    private final EmbedderFactory factory;

    /** Images per embedding batch by default. */
    @Override
    public String defaultFor(String option) { return option.equals(BatchSizeOption.NAME) ? "32" : null; }

    /** Uses the real model, {@link TransferEmbedderFactory}. */
    public EvalRetrievalCommand() { this(null); }

    /** Uses {@code factory} (tests pass a fake); null: the real model. */
    public EvalRetrievalCommand(EmbedderFactory factory) { this.factory = factory; }

    @Override
    public Integer call() {
        if (!List.of("1k", "5k", "both").contains(protocol))
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--protocol must be 1k, 5k or both, not '" + protocol + "'");
        int batchSize = batch.positive();
        if (!Files.isRegularFile(karpathy)) return Failures.report(spec, karpathy, new IOException("--karpathy " + karpathy + ": no such file"));
        if (images == null) images = dev.groundwork.models.data.CaptionFiles.defaultRoot(karpathy);
        if (!Files.isDirectory(images)) return Failures.report(spec, images, new IOException("--images " + images + ": not a folder"));
        if (!Files.isRegularFile(model)) return Failures.report(spec, model, new IOException("--model " + model + ": no such file"));
        EmbedderFactory f = TransferEmbedderFactory.orReal(factory, vocab, device);
        List<RetrievalSet.Entry> items;
        try {
            items = RetrievalSet.karpathy(karpathy, images, split).entries();
        } catch (DataException | RuntimeException e) {
            return Failures.report(spec, karpathy, e);
        }
        if (items.isEmpty()) return Failures.report(spec, karpathy, new IOException(karpathy + ": no images in split '" + split + "'"));
        int n = items.size();
        // The 1k protocol is five folds of 1000; asked for by name on a split that has no whole folds, it is refused.
        boolean folds = n % Retrieval.COCO_1K_FOLD == 0 && n >= Retrieval.COCO_1K_FOLD;
        if (protocol.equals("1k") && !folds)
            return Failures.report(spec, karpathy, new IOException("--protocol 1k needs whole folds of 1000 images; split '" + split + "' has " + n));
        try {
            Embedder e = f.open(model);
            Embedded s = embed(e, f.imageTransform(e), items, batchSize, karpathy, label -> quiet.progress(spec, label));
            PrintWriter out = spec.commandLine().getOut();
            String all = n == 5000 ? "5k" : "all-" + n;
            var j = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            j.put("split", split).put("images", n).put("captions", s.owner().length);
            if (!json) out.printf(Locale.ROOT, "%s split: %d images, %d captions%n", split, n, s.owner().length);
            if (!protocol.equals("1k")) {
                RecallAtK r = Retrieval.evaluate(s.images(), s.captions(), s.owner());
                if (json) put(j.putObject(all), r);
                else out.println((all.equals("5k") ? "5k  " : "all " + n + " images (the 5k protocol needs 5000)  ") + r);
            }
            if (!protocol.equals("5k")) {
                if (folds) {
                    RecallAtK r = Retrieval.folds(s.images(), s.captions(), s.owner(), Retrieval.COCO_1K_FOLD);
                    if (json) put(j.putObject("1k"), r);
                    else out.println("1k  " + r);
                } else if (!json) out.printf("1k  not run: it needs whole folds of 1000 images; the split has %d%n", n);
            }
            if (json) out.println(j);
            out.flush();
            return 0;
        } catch (IOException | RuntimeException ex) {
            return Failures.report(spec, model, ex);
        }
    }

    static void put(com.fasterxml.jackson.databind.node.ObjectNode o, RecallAtK r) {
        r.asMap().forEach(o::put);
    }

    /** A split embedded: image vectors [N,D], caption vectors [M,D], and the image each caption belongs to. */
    record Embedded(Tensor images, Tensor captions, int[] owner) {}

    /**
     * Embeds every image of {@code items} (in batches) and every one of its captions, each on a progress display
     * {@code progress} makes when that part starts ("embed images", "embed captions"); {@code source} names the
     * split file in errors.
     */
    static Embedded embed(Embedder e, Function<Path, Tensor> transform, List<RetrievalSet.Entry> items, int batch, Path source,
                          Function<String, Progress> progress) throws IOException {
        Tensor img = embedImages(e, transform, items, batch, source, progress.apply("embed images"));
        Progress captionProgress = progress.apply("embed captions");
        int total = items.stream().mapToInt(it -> it.captions().size()).sum();
        List<float[]> caps = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < items.size(); i++)
            for (String c : items.get(i).captions()) {
                caps.add(e.embedText(c).contiguous().toFloatArray());
                owner.add(i);
                captionProgress.count(caps.size(), total);
            }
        return new Embedded(img, stack(caps), owner.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Tensor embedImages(Embedder e, Function<Path, Tensor> transform, List<RetrievalSet.Entry> items, int batch, Path source,
                                      Progress progress) throws IOException {
        int s = e.imageSize(), per = 3 * s * s;
        List<float[]> rows = new ArrayList<>();
        for (int start = 0; start < items.size(); start += batch) {
            int n = Math.min(batch, items.size() - start);
            float[] flat = new float[n * per];
            for (int b = 0; b < n; b++) {
                Path p = items.get(start + b).image();
                if (!Files.isRegularFile(p)) throw new IOException(p + ": no such image (from " + source + ")");
                System.arraycopy(transform.apply(p).contiguous().toFloatArray(), 0, flat, b * per, per);
            }
            float[] out = e.embedImages(Tensor.of(flat, n, 3, s, s)).contiguous().toFloatArray();
            int d = out.length / n;
            for (int b = 0; b < n; b++) rows.add(java.util.Arrays.copyOfRange(out, b * d, (b + 1) * d));
            progress.count(rows.size(), items.size());
        }
        return stack(rows);
    }

    private static Tensor stack(List<float[]> rows) {
        int d = rows.get(0).length;
        float[] a = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, a, i * d, d);
        return Tensor.of(a, rows.size(), d);
    }
}

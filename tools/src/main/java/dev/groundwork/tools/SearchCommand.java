package dev.groundwork.tools;

import dev.groundwork.models.search.Embedder;
import dev.groundwork.models.search.Hit;
import dev.groundwork.models.search.ImageIndex;
import dev.groundwork.models.search.ImageSearch;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code gw search}: multimodal image search over a folder (spec §7.3). */
@Command(name = "search", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
        description = {"Rank the images of a folder against an image query, a text query, or their blend "
                + "q(a) = normalise((1-a) q_image + a q_text) (spec 7.3).",
                "Embeddings are cached outside the folder (GW_CACHE, default ~/.cache/groundwork/search/), or in --cache FILE; "
                        + "reruns embed only new or changed files. An unreadable image is skipped with a warning."})
public final class SearchCommand implements Callable<Integer>, CommandDefaults.Source {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "CKPT", description = "VG-BERT transfer checkpoint")
    Path model;

    @Option(names = "--folder", required = true, paramLabel = "DIR", description = "folder of JPEG/PNG images, searched recursively")
    Path folder;

    @Option(names = "--image", paramLabel = "FILE", description = "query image")
    Path image;

    @Option(names = "--text", paramLabel = "TEXT", description = "query word or sentence")
    String text;

    @Option(names = "--alpha", paramLabel = "A", description = "blend weight of the text query, 0..1 (needs --image and --text; default 0.5)")
    Double alpha;

    @Option(names = "--top", paramLabel = "K", defaultValue = "10", description = "number of results (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--cache", paramLabel = "FILE",
            description = "embedding cache file (default: one per folder under $GW_CACHE/search, never inside the folder)")
    Path cache;

    @Option(names = "--no-cache", description = "embed every image and write no cache")
    boolean noCache;

    @Option(names = "--json", description = "print the results as one JSON object on stdout")
    boolean json;

    @Mixin BatchSizeOption batch;
    @Mixin VocabOption vocab;
    @Mixin DeviceOption device;
    @Mixin QuietOption quiet;

    private final EmbedderFactory factory;

    /** Images per embedding batch by default. */
    @Override
    public String defaultFor(String option) { return option.equals(BatchSizeOption.NAME) ? "32" : null; }

    /** The folder's cache under {@code $GW_CACHE/search/}, named by a hash of its absolute path: never inside the user's folder. */
    static Path defaultCache(Path folder) {
        String abs = folder.toAbsolutePath().normalize().toString();
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(abs.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String name = java.util.HexFormat.of().formatHex(h, 0, 8) + ".safetensors";
            return dev.groundwork.engine.settings.Settings.current().cacheDir().resolve("search").resolve(name);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uses the real model, {@link TransferEmbedderFactory}. */
    public SearchCommand() { this(null); }

    /** Uses {@code factory} (tests pass a fake); null: the real model. */
    public SearchCommand(EmbedderFactory factory) { this.factory = factory; }

    @Override
    public Integer call() {
        if (image == null && text == null) throw new ParameterException(spec.commandLine(), "give --image, --text or both");
        if (text != null && text.isBlank()) throw new ParameterException(spec.commandLine(), "--text is empty: give a word or a sentence");
        if (noCache && cache != null) throw new ParameterException(spec.commandLine(), "--cache and --no-cache exclude each other");
        if (alpha != null && (image == null || text == null)) throw new ParameterException(spec.commandLine(), "--alpha needs both --image and --text");
        if (top < 1) throw new ParameterException(spec.commandLine(), "--top must be at least 1");
        int batchSize = batch.positive();
        if (!Files.isDirectory(folder)) return Failures.report(spec, folder, new IOException("--folder " + folder + ": not a folder"));
        if (image != null && !Files.isRegularFile(image)) return Failures.report(spec, image, new IOException("--image " + image + ": no such file"));
        if (!Files.isRegularFile(model)) return Failures.report(spec, model, new IOException("--model " + model + ": no such file"));
        EmbedderFactory f = TransferEmbedderFactory.orReal(factory, vocab, device);
        try {
            Embedder e = f.open(model);
            ImageSearch search = new ImageSearch(e, f.imageTransform(e), ModelFingerprint.of(model, f, e.imageSize()), batchSize);
            ImageIndex index = search.index(folder, noCache ? null : cache != null ? cache : defaultCache(folder), !noCache,
                    quiet.progress(spec, "embed images"));
            PrintWriter err = spec.commandLine().getErr();
            for (String s : index.skipped()) err.println("warning: skipped " + s);
            err.flush();
            List<Hit> hits = image != null && text != null ? search.byBlend(index, image, text, alpha == null ? 0.5 : alpha, top)
                    : image != null ? search.byImage(index, image, top) : search.byText(index, text, top);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                var j = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
                j.put("images", index.size()).put("embedded", index.embeddedCount()).put("from_cache", index.reusedCount())
                        .put("skipped", index.skipped().size());
                var a = j.putArray("hits");
                for (int r = 0; r < hits.size(); r++)
                    a.addObject().put("rank", r + 1).put("score", hits.get(r).score()).put("path", hits.get(r).path().toString());
                out.println(j);
            } else {
                out.printf(Locale.ROOT, "%d images (%d embedded now, %d from cache)%n", index.size(), index.embeddedCount(), index.reusedCount());
                for (int r = 0; r < hits.size(); r++)
                    out.printf(Locale.ROOT, "%3d  %.4f  %s%n", r + 1, hits.get(r).score(), folder.relativize(hits.get(r).path()));
            }
            out.flush();
            return 0;
        } catch (IOException | RuntimeException ex) {
            return Failures.report(spec, folder, ex);
        }
    }
}

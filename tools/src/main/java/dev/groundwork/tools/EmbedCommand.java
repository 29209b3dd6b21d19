package dev.groundwork.tools;

import dev.groundwork.engine.io.NpyReader;
import dev.groundwork.models.embed.EmbedSettings;
import dev.groundwork.models.embed.EmbeddingFiles;
import dev.groundwork.models.embed.Embeddings;
import dev.groundwork.models.embed.Pooling;
import dev.groundwork.models.embed.TextEmbedder;
import dev.groundwork.models.train.Progress;
import dev.groundwork.models.language.LanguageModel;
import dev.groundwork.models.language.LanguageModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gw embed}: words, phrases or sentences to vectors with any BERT the loader reads. */
@Command(name = "embed", mixinStandardHelpOptions = true, defaultValueProvider = CommandDefaults.class,
        description = "Embed texts (a file with one per line, a unicode .npy, or --text) with a BERT: a Hugging Face folder, a VG-BERT "
                + "or InterBERT checkpoint, a run folder, or untrained:demo[:SEED]. Batched with dynamic padding, without gradients. "
                + "Writes OUT (.safetensors: 'embeddings', plus 'input_ids'/'attention_mask' with --pooling none; or .npy files) and "
                + "OUT-stem.texts.txt with the embedded texts in row order. Texts whose every word piece is [UNK], and blank lines, "
                + "are not embedded: they are counted, listed on stderr and in OUT-stem.unknown.txt.")
public final class EmbedCommand implements Callable<Integer>, CommandDefaults.Source {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "texts, one per line (UTF-8), or a 1-d unicode .npy")
    Path input;

    @Option(names = "--text", paramLabel = "TEXT", description = "a text to embed (repeatable; after FILE's texts)")
    List<String> texts = new ArrayList<>();

    @Option(names = "--model", required = true, paramLabel = "PATH", description = "model folder, checkpoint, run folder or untrained:demo[:SEED]")
    String model;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT", description = "output file (.safetensors or .npy)")
    Path out;

    @Option(names = "--format", paramLabel = "safetensors|npy", description = "default: from OUT's extension, else safetensors")
    String format;

    @Option(names = "--pooling", paramLabel = "mean|cls|none|object", defaultValue = "mean",
            description = "mean: masked mean over the real tokens, [CLS] and [SEP] included; cls: the [CLS] state; none: every token's "
                    + "state; object: VG-BERT's Bert_object (\"[CLS] text [SEP]\" in L slots, type 1, sum / L). Default ${DEFAULT-VALUE}")
    String pooling;

    @Option(names = "--layer", paramLabel = "N", description = "hidden_states index: 0 = embeddings, L = last (default); -1 counts from the end")
    Integer layer;

    @Option(names = "--max-length", paramLabel = "N", description = "tokens per text with [CLS]/[SEP] (default: L for object, else the model's limit up to 512)")
    Integer maxLength;

    @Option(names = "--token-type", paramLabel = "0|1", description = "segment id (default: 1 for object and VG-BERT models, else 0)")
    Integer tokenType;

    @Mixin BatchSizeOption batch;
    @Mixin VocabOption vocab;
    @Mixin DeviceOption device;

    @Override
    public String defaultFor(String option) { return option.equals(BatchSizeOption.NAME) ? "32" : null; }

    @Override
    public Integer call() {
        int batchSize = batch.positive();
        EmbeddingFiles.Format fmt = format();
        Pooling p;
        try {
            p = Pooling.parse(pooling);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
        }
        Path target = out.getFileName().toString().contains(".") ? out
                : out.resolveSibling(out.getFileName() + (fmt == EmbeddingFiles.Format.NPY ? ".npy" : ".safetensors"));
        List<String> all;
        try {
            all = readTexts();
        } catch (ParameterException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            return Failures.report(spec, input, e);
        }
        if (all.isEmpty()) throw new ParameterException(spec.commandLine(), "nothing to embed: give FILE or --text");
        if (input != null && EmbeddingFiles.textsFile(target).toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize()))
            throw new ParameterException(spec.commandLine(), "--out " + target + " would overwrite the input " + input + " with its texts file");
        PrintWriter err = spec.commandLine().getErr(), stdout = spec.commandLine().getOut();
        Embeddings e;
        EmbedSettings.Resolved r;
        try {
            LanguageModel m = LanguageModels.open(model, vocab.path);
            TextEmbedder embedder = new TextEmbedder(m, new EmbedSettings(p, layer, maxLength, batchSize, tokenType), device.resolve());
            err.println("model: " + m.description());
            r = embedder.settings();
            e = embedder.embed(all, new Progress(err, "embed")::count);
        } catch (IOException | RuntimeException x) {
            return Failures.report(spec, Path.of(model), x);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", model);
        meta.put("pooling", r.pooling().cliName());
        meta.put("layer", Integer.toString(r.layer()));
        meta.put("max_length", Integer.toString(r.maxLength()));
        meta.put("token_type", Integer.toString(r.tokenType()));
        List<Path> files;
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            files = EmbeddingFiles.write(target, e, fmt, meta);
        } catch (IOException | RuntimeException x) {
            return Failures.report(spec, target, x);
        }
        err.printf(Locale.ROOT, "embedded %d of %d texts: %s, %s pooling, layer %d, up to %d tokens, token type %d%n", e.texts().size(), all.size(),
                java.util.Arrays.toString(e.shape()), r.pooling().cliName(), r.layer(), r.maxLength(), r.tokenType());
        if (!e.unknown().isEmpty())
            err.println(e.unknown().size() + " text(s) are only [UNK] word pieces and were not embedded: " + preview(e.unknown())
                    + " (all in " + EmbeddingFiles.unknownFile(target) + ")");
        if (!e.empty().isEmpty()) err.println(e.empty().size() + " blank text(s) were skipped");
        err.flush();
        for (Path f : files) stdout.println(f);
        stdout.flush();
        return 0;
    }

    private EmbeddingFiles.Format format() {
        boolean npyName = out.getFileName().toString().endsWith(".npy"), stName = out.getFileName().toString().endsWith(".safetensors");
        if (format == null) return npyName ? EmbeddingFiles.Format.NPY : EmbeddingFiles.Format.SAFETENSORS;
        EmbeddingFiles.Format f = switch (format) {
            case "npy" -> EmbeddingFiles.Format.NPY;
            case "safetensors" -> EmbeddingFiles.Format.SAFETENSORS;
            default -> throw new ParameterException(spec.commandLine(), "--format must be safetensors or npy, got '" + format + "'");
        };
        if ((f == EmbeddingFiles.Format.NPY && stName) || (f == EmbeddingFiles.Format.SAFETENSORS && npyName))
            throw new ParameterException(spec.commandLine(), "--format " + format + " disagrees with --out " + out);
        return f;
    }

    /** FILE's texts (lines or a unicode .npy), then every --text; a --text holding a line break is refused (the texts file is one per line). */
    private List<String> readTexts() throws IOException {
        List<String> all = new ArrayList<>();
        if (input != null) {
            if (!Files.isRegularFile(input)) throw new IOException(input + ": no such file");
            if (input.getFileName().toString().endsWith(".npy")) all.addAll(List.of(NpyReader.read(input).requireRank(1).strings()));
            else all.addAll(Files.readAllLines(input, StandardCharsets.UTF_8));
        }
        for (String t : texts)
            if (t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0)
                throw new ParameterException(spec.commandLine(), "--text must be one line (its texts file is one text per line): " + t.strip());
        all.addAll(texts);
        for (String t : all)
            if (t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0)
                throw new IOException(input + ": a text holds a line break, which the texts file cannot keep: " + t.strip());
        return all;
    }

    static String preview(List<String> items) {
        List<String> head = items.subList(0, Math.min(10, items.size()));
        return String.join(", ", head) + (items.size() > head.size() ? ", ..." : "");
    }
}

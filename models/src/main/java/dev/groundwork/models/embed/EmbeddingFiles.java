package dev.groundwork.models.embed;

import dev.groundwork.engine.io.AtomicFiles;
import dev.groundwork.engine.io.NpyArray;
import dev.groundwork.engine.io.NpyReader;
import dev.groundwork.engine.io.NpyWriter;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code gw embed}'s output files and their reading back as a word-vector table. For an output path
 * {@code DIR/NAME.safetensors} (or {@code .npy}):
 * <ul>
 *   <li>safetensors: {@code embeddings} (float32 [N, D], or [N, T, D] per token) and, per token,
 *       {@code input_ids} and {@code attention_mask} (int64 [N, T]); the header's metadata says what
 *       made it ({@link #FORMAT}, model, pooling, layer, max length, token type);</li>
 *   <li>npy: {@code NAME.npy}, and per token {@code NAME.input_ids.npy} and {@code NAME.attention_mask.npy};</li>
 *   <li>both: {@code NAME.texts.txt}, the embedded texts in row order, one per line (UTF-8), and when
 *       some texts were left out, {@code NAME.unknown.txt} listing them.</li>
 * </ul>
 * Every file is written atomically.
 */
public final class EmbeddingFiles {
    public static final String FORMAT = "groundwork-embeddings-1";

    public enum Format { SAFETENSORS, NPY }

    private EmbeddingFiles() {}

    /** {@code DIR/NAME} of an output path, its extension removed. */
    public static Path stem(Path out) {
        String n = out.getFileName().toString();
        for (String ext : new String[]{".safetensors", ".npy"})
            if (n.endsWith(ext)) return out.resolveSibling(n.substring(0, n.length() - ext.length()));
        return out;
    }

    public static Path textsFile(Path out) { return sibling(out, ".texts.txt"); }

    public static Path unknownFile(Path out) { return sibling(out, ".unknown.txt"); }

    private static Path sibling(Path out, String suffix) {
        Path s = stem(out);
        return s.resolveSibling(s.getFileName() + suffix);
    }

    /** Writes {@code e} as the class comment says; returns every file written, the main one first. */
    public static List<Path> write(Path out, Embeddings e, Format format, Map<String, String> metadata) throws IOException {
        List<Path> written = new ArrayList<>();
        boolean perToken = e.inputIds() != null;
        int[] tokens = perToken ? new int[]{e.shape()[0], e.shape()[1]} : null;
        if (format == Format.SAFETENSORS) {
            Map<String, Tensor> t = new LinkedHashMap<>();
            t.put("embeddings", Tensor.of(e.values(), e.shape()));
            if (perToken) {
                t.put("input_ids", Tensor.ofLongs(e.inputIds(), tokens));
                t.put("attention_mask", Tensor.ofLongs(e.attentionMask(), tokens));
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", FORMAT);
            meta.putAll(metadata);
            TensorFiles.save(out, t, meta);
            written.add(out);
        } else {
            NpyWriter.writeFloats(out, e.values(), e.shape());
            written.add(out);
            if (perToken) {
                Path ids = sibling(out, ".input_ids.npy"), mask = sibling(out, ".attention_mask.npy");
                NpyWriter.writeLongs(ids, e.inputIds(), tokens);
                NpyWriter.writeLongs(mask, e.attentionMask(), tokens);
                written.add(ids);
                written.add(mask);
            }
        }
        writeLines(textsFile(out), e.texts());
        written.add(textsFile(out));
        List<String> left = new ArrayList<>();
        e.unknown().forEach(t -> left.add("[UNK]\t" + t));
        e.empty().forEach(t -> left.add("empty\t" + t));
        if (!left.isEmpty()) {
            writeLines(unknownFile(out), left);
            written.add(unknownFile(out));
        } else {
            Files.deleteIfExists(unknownFile(out));   // a stale list from an earlier run would be wrong
        }
        return written;
    }

    static void writeLines(Path file, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append('\n');
        AtomicFiles.writeString(file, sb.toString());
    }

    /** A pooled embedding file read back: the texts and their [N, D] vectors. */
    public record Table(Path file, List<String> texts, float[] values, int dim) {
        public double[] row(int i) {
            double[] r = new double[dim];
            for (int j = 0; j < dim; j++) r[j] = values[i * dim + j];
            return r;
        }
    }

    /**
     * Reads an embedding file and the texts beside it ({@code .safetensors} written by {@link #write}, or any
     * 2-d float {@code .npy} with a {@code NAME.texts.txt}). Per-token files, a missing texts file, or a row
     * count that disagrees with it are errors naming the files.
     */
    public static Table read(Path file) throws IOException {
        float[] values;
        int[] shape;
        if (file.getFileName().toString().endsWith(".npy")) {
            NpyArray a = NpyReader.read(file);
            values = a.floats();
            shape = a.shape();
        } else {
            TensorFiles.Loaded l = TensorFiles.loadWithMetadata(file);
            if (!FORMAT.equals(l.metadata().get("format")))
                throw new IOException(file + ": not an embedding file of gw embed (metadata format " + l.metadata().get("format") + ")");
            Tensor t = l.tensors().get("embeddings");
            if (t == null) throw new IOException(file + ": holds no 'embeddings' tensor");
            values = t.contiguous().toFloatArray();
            shape = t.shape();
        }
        if (shape.length != 2)
            throw new IOException(file + ": embeddings of shape " + java.util.Arrays.toString(shape)
                    + " are not one vector per text ([N, D]); per-token output (pooling none) cannot serve as word vectors");
        Path texts = textsFile(file);
        if (!Files.isRegularFile(texts)) throw new IOException(file + ": the texts of its rows are missing (expected " + texts + ")");
        List<String> lines = Files.readAllLines(texts, StandardCharsets.UTF_8);
        if (lines.size() != shape[0])
            throw new IOException(file + " has " + shape[0] + " rows but " + texts + " has " + lines.size() + " lines; they must agree");
        return new Table(file, lines, values, shape[1]);
    }

    /** Whether {@code file} is an embedding file rather than a checkpoint: {@code .npy}, or safetensors with our format tag. */
    public static boolean isEmbeddingFile(Path file) {
        String n = file.getFileName().toString();
        if (n.endsWith(".npy")) return true;
        if (!n.endsWith(".safetensors") || !Files.isRegularFile(file)) return false;
        try (var f = dev.groundwork.engine.io.SafeTensorsFile.open(file)) {
            return FORMAT.equals(f.metadata().get("format"));
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.groundwork.models.search;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The on-disk embedding cache: one safetensors file with tensor "embeddings" [N,D] and, in its
 * metadata, the model fingerprint and the JSON list of files (row i = files[i]). Safetensors because
 * the engine already writes it atomically and reads it without pickle.
 */
final class EmbeddingCache {
    static final String TENSOR = "embeddings";
    static final String FINGERPRINT = "gw.fingerprint";
    static final String FILES = "gw.files";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddingCache() {}

    /** What a cache file holds; rows of {@code embeddings} follow {@code files}. */
    record Contents(String fingerprint, List<ImageFiles.Stamp> files, float[][] embeddings) {}

    /** The cache, or null when the file is absent, unreadable or inconsistent (it is then rebuilt). */
    static Contents read(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            TensorFiles.Loaded l = TensorFiles.loadWithMetadata(file);
            Tensor t = l.tensors().get(TENSOR);
            String fp = l.metadata().get(FINGERPRINT), filesJson = l.metadata().get(FILES);
            if (t == null || fp == null || filesJson == null || t.dim() != 2) return null;
            List<ImageFiles.Stamp> files = JSON.readValue(filesJson, new TypeReference<List<ImageFiles.Stamp>>() {});
            if (files.size() != t.size(0)) return null;
            float[] flat = t.toFloatArray();
            int d = t.size(1);
            float[][] rows = new float[files.size()][];
            for (int i = 0; i < rows.length; i++) rows[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
            return new Contents(fp, files, rows);
        } catch (IOException | RuntimeException e) {
            // A damaged or foreign file costs a re-embed, never a failed search.
            return null;
        }
    }

    /** Writes atomically (temp file + move, via the engine's writer): a crash leaves the old cache. */
    static void write(Path file, Contents c) throws IOException {
        int n = c.files().size(), d = n == 0 ? 0 : c.embeddings()[0].length;
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) System.arraycopy(c.embeddings()[i], 0, flat, i * d, d);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        TensorFiles.save(file, Map.of(TENSOR, Tensor.of(flat, n, d)),
                Map.of(FINGERPRINT, c.fingerprint(), FILES, JSON.writeValueAsString(c.files())));
    }
}

package dev.groundwork.models.search;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.train.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Multimodal image search over a folder (spec §7.3): embed every image once, keep the embeddings in a
 * cache file, then answer image, text or blended queries with the top-k cosine matches.
 *
 * <p>The cache is keyed on a fingerprint string supplied by the caller (it must change whenever the
 * weights or the preprocessing change) and on each file's relative path, size and mtime: a rerun
 * embeds only new or changed files, and a different fingerprint discards the whole cache.
 */
public final class ImageSearch {
    public static final String DEFAULT_CACHE = ".gw-embeddings.safetensors";
    public static final int DEFAULT_BATCH = 32;

    private final Embedder embedder;
    private final Function<Path, Tensor> preprocess;
    private final String fingerprint;
    private final int batchSize;

    /**
     * @param preprocess image file → [3,S,S] normalised tensor (S = embedder.imageSize())
     * @param fingerprint identifies model weights and preprocessing, stored in and checked against the cache
     */
    public ImageSearch(Embedder embedder, Function<Path, Tensor> preprocess, String fingerprint, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be positive");
        this.embedder = embedder;
        this.preprocess = preprocess;
        this.fingerprint = fingerprint;
        this.batchSize = batchSize;
    }

    public ImageSearch(Embedder embedder, Function<Path, Tensor> preprocess, String fingerprint) {
        this(embedder, preprocess, fingerprint, DEFAULT_BATCH);
    }

    /** Indexes {@code folder} with the cache at {@code <folder>/.gw-embeddings.safetensors}. */
    public ImageIndex index(Path folder) throws IOException { return index(folder, null); }

    /** Indexes {@code folder}; {@code cacheFile} null means the default cache inside the folder. */
    public ImageIndex index(Path folder, Path cacheFile) throws IOException {
        return index(folder, cacheFile != null ? cacheFile : folder.resolve(DEFAULT_CACHE), true);
    }

    /** Indexes {@code folder} with the cache {@code cache}, or none when it is null (nothing is written). */
    public ImageIndex index(Path folder, Path cache, boolean cached) throws IOException { return index(folder, cache, cached, null); }

    /**
     * As {@link #index(Path, Path, boolean)}, showing the images embedded (or skipped) so far of those the
     * cache lacks to {@code progress} (null: none) after each batch; nothing is reported when all come from the cache.
     */
    public ImageIndex index(Path folder, Path cache, boolean cached, Progress progress) throws IOException {
        if (!cached) cache = null;
        List<ImageFiles.Stamp> files = ImageFiles.list(folder);
        if (files.isEmpty()) throw new IOException(folder + ": no JPEG or PNG images found");

        EmbeddingCache.Contents old = cache == null ? null : EmbeddingCache.read(cache);
        Map<ImageFiles.Stamp, float[]> known = new HashMap<>();
        if (old != null && old.fingerprint().equals(fingerprint))
            for (int i = 0; i < old.files().size(); i++) known.put(old.files().get(i), old.embeddings()[i]);

        float[][] rows = new float[files.size()][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            rows[i] = known.get(files.get(i));
            if (rows[i] == null) missing.add(i);
        }
        // One unreadable image is skipped with its reason, not the end of the search (it is tried again next run).
        List<String> skipped = new ArrayList<>();
        List<Integer> readable = new ArrayList<>();
        Map<Integer, Tensor> loaded = new HashMap<>();
        int tried = 0;
        for (int i : missing) {
            try {
                loaded.put(i, load(folder.resolve(files.get(i).rel())));
                readable.add(i);
            } catch (IOException e) {
                skipped.add(e.getMessage());
            }
            tried++;
            if (loaded.size() == batchSize) {
                embed(loaded, readable, rows);
                if (progress != null) progress.count(tried, missing.size());
            }
        }
        embed(loaded, readable, rows);
        if (progress != null && !missing.isEmpty()) progress.count(missing.size(), missing.size());
        List<ImageFiles.Stamp> kept = new ArrayList<>();
        List<float[]> keptRows = new ArrayList<>();
        for (int i = 0; i < files.size(); i++)
            if (rows[i] != null) {
                kept.add(files.get(i));
                keptRows.add(rows[i]);
            }
        if (kept.isEmpty()) throw new IOException(folder + ": none of its " + files.size() + " images could be read, e.g. " + skipped.getFirst());
        float[][] keptArray = keptRows.toArray(new float[0][]);
        // Rewrite only when something differs, so a read-only rerun leaves the file (and its mtime) alone.
        boolean same = old != null && missing.isEmpty() && old.fingerprint().equals(fingerprint) && old.files().equals(files);
        if (!same && cache != null) EmbeddingCache.write(cache, new EmbeddingCache.Contents(fingerprint, kept, keptArray));

        List<Path> paths = new ArrayList<>();
        for (ImageFiles.Stamp f : kept) paths.add(folder.resolve(f.rel()));
        return new ImageIndex(paths, keptArray, missing.size() - skipped.size(), files.size() - missing.size(), skipped);
    }

    /** The query vector of one image file, preprocessed like the indexed images. */
    public Tensor imageQuery(Path image) throws IOException {
        Tensor x = load(image);
        float[] v = embedder.embedImages(x.reshape(1, 3, x.size(1), x.size(2))).contiguous().toFloatArray();
        return Tensor.of(Queries.unit(Tensor.of(v, v.length)), v.length);
    }

    /** The query vector of a word or sentence. */
    public Tensor textQuery(String text) {
        Tensor t = embedder.embedText(text);
        float[] v = Queries.unit(t);
        return Tensor.of(v, v.length);
    }

    /** Top-k for an image query. */
    public List<Hit> byImage(ImageIndex index, Path image, int k) throws IOException { return index.top(imageQuery(image), k); }

    /** Top-k for a text query. */
    public List<Hit> byText(ImageIndex index, String text, int k) { return index.top(textQuery(text), k); }

    /** Top-k for the blend q(α) = normalise((1−α) q_I + α q_W) of spec §7.3. */
    public List<Hit> byBlend(ImageIndex index, Path image, String text, double alpha, int k) throws IOException {
        return index.top(Queries.blend(imageQuery(image), textQuery(text), alpha), k);
    }

    /** Embeds the loaded images (in {@code order}) into their rows, then forgets them. */
    private void embed(Map<Integer, Tensor> loaded, List<Integer> order, float[][] rows) {
        if (loaded.isEmpty()) return;
        List<Integer> batch = order.stream().filter(loaded::containsKey).toList();
        float[][] e = embedBatch(batch.stream().map(loaded::get).toList());
        for (int b = 0; b < batch.size(); b++) rows[batch.get(b)] = e[b];
        loaded.clear();
    }

    private float[][] embedBatch(List<Tensor> images) {
        List<Integer> batch = java.util.stream.IntStream.range(0, images.size()).boxed().toList();
        int s = embedder.imageSize(), per = 3 * s * s;
        float[] flat = new float[batch.size() * per];
        for (int b = 0; b < batch.size(); b++) System.arraycopy(images.get(b).contiguous().toFloatArray(), 0, flat, b * per, per);
        Tensor e = embedder.embedImages(Tensor.of(flat, batch.size(), 3, s, s));
        if (e.dim() != 2 || e.size(0) != batch.size())
            throw new IllegalStateException("embedder returned " + Arrays.toString(e.shape()) + " for a batch of " + batch.size());
        int d = e.size(1);
        float[] out = e.contiguous().toFloatArray();
        float[][] rows = new float[batch.size()][];
        for (int b = 0; b < rows.length; b++) rows[b] = Queries.unit(Tensor.of(Arrays.copyOfRange(out, b * d, (b + 1) * d), d));
        return rows;
    }

    /** Runs the preprocessing, turning its failures into an IOException that names the file. */
    private Tensor load(Path image) throws IOException {
        Tensor x;
        try {
            x = preprocess.apply(image);
        } catch (RuntimeException e) {
            throw new IOException(image + ": cannot read image: " + e.getMessage(), e);
        }
        int s = embedder.imageSize();
        if (!Arrays.equals(x.shape(), new int[] {3, s, s}))
            throw new IOException(image + ": preprocessing gave " + Arrays.toString(x.shape()) + ", expected [3, " + s + ", " + s + "]");
        return x;
    }
}

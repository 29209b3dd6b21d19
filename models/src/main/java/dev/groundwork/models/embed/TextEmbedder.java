package dev.groundwork.models.embed;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.language.LanguageModel;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.Vocab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Texts to vectors with a {@link LanguageModel}, in batches with dynamic padding: texts are sorted by
 * token count so each batch pads only to its own longest text, then every result goes back to its
 * input position. Padding is masked out of attention (BERT's additive -10000), so a text's vector does
 * not depend on what it was batched with beyond float rounding. A text whose every word piece is [UNK],
 * or that has no token at all, is not embedded: it is returned in {@link Embeddings#unknown} or
 * {@link Embeddings#empty}. Runs without gradients, each batch's tensors released when it is done.
 */
public final class TextEmbedder {
    /** Called after every batch with the number of texts done so far. */
    public interface Progress {
        void update(int done, int total);
    }

    private final LanguageModel model;
    private final EmbedSettings.Resolved settings;
    private final Device device;

    public TextEmbedder(LanguageModel model, EmbedSettings settings, Device device) {
        this.model = model;
        this.settings = settings.resolve(model);
        this.device = device;
        model.bert().eval();
        model.bert().to(device);
    }

    public EmbedSettings.Resolved settings() { return settings; }

    /** One text's ids (with [CLS] and [SEP]) and its place in the input. */
    private record Encoded(int index, long[] ids) {}

    public Embeddings embed(List<String> texts, Progress progress) {
        List<Encoded> kept = new ArrayList<>();
        List<String> unknown = new ArrayList<>(), empty = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            List<String> body = new ArrayList<>();
            long[] ids = encode(texts.get(i), body);
            if (body.isEmpty()) empty.add(texts.get(i));
            else if (body.stream().allMatch(Vocab.UNK::equals)) unknown.add(texts.get(i));
            else kept.add(new Encoded(i, ids));
        }
        int n = kept.size(), d = model.bert().config().hiddenSize();
        int tMax = kept.stream().mapToInt(e -> e.ids().length).max().orElse(0);
        boolean perToken = settings.pooling() == Pooling.NONE;
        long size = perToken ? (long) n * tMax * d : (long) n * d;
        if (size > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(n + " texts of up to " + tMax + " tokens x " + d + " values do not fit one array; embed fewer texts per run");
        float[] out = new float[(int) size];
        long[] ids = perToken ? new long[n * tMax] : null, mask = perToken ? new long[n * tMax] : null;
        // Rows are written at the text's rank among the kept texts, which keeps the input order.
        int[] row = new int[texts.size()];
        for (int r = 0; r < n; r++) row[kept.get(r).index()] = r;

        List<Encoded> byLength = new ArrayList<>(kept);
        byLength.sort(Comparator.comparingInt((Encoded e) -> e.ids().length).thenComparingInt(Encoded::index));
        int done = 0;
        for (int start = 0; start < n; start += settings.batchSize()) {
            List<Encoded> batch = byLength.subList(start, Math.min(n, start + settings.batchSize()));
            float[] h = hidden(batch);
            int b = batch.size(), t = batch.get(b - 1).ids().length;
            for (int k = 0; k < b; k++) {
                Encoded e = batch.get(k);
                int r = row[e.index()], len = e.ids().length;
                if (perToken) {
                    System.arraycopy(h, k * t * d, out, r * tMax * d, len * d);
                    for (int p = 0; p < len; p++) {
                        ids[r * tMax + p] = e.ids()[p];
                        mask[r * tMax + p] = 1;
                    }
                } else {
                    pool(h, k * t * d, len, d, out, r * d);
                }
            }
            done += b;
            if (progress != null) progress.update(done, n);
        }
        List<String> embedded = kept.stream().map(e -> texts.get(e.index())).toList();
        int[] shape = perToken ? new int[]{n, tMax, d} : new int[]{n, d};
        return new Embeddings(embedded, out, shape, ids, mask, unknown, empty, settings);
    }

    /**
     * [CLS] pieces [SEP] cut to the max length keeping [SEP] (HF's truncation); for {@code object},
     * "[CLS] text [SEP]" tokenised as one string and cut to L slots as VG-BERT's loader cuts it (a long
     * phrase loses its [SEP], §9.22). {@code body} receives the text's own word pieces.
     */
    private long[] encode(String text, List<String> body) {
        BertTokenizer tok = model.tokenizer();
        int max = settings.maxLength();
        List<String> tokens;
        if (settings.pooling() == Pooling.OBJECT) {
            List<String> all = tok.tokenize(Vocab.CLS + " " + text + " " + Vocab.SEP);
            body.addAll(all.subList(1, all.size() - 1));
            tokens = all.subList(0, Math.min(max, all.size()));
        } else {
            body.addAll(tok.tokenize(text));
            tokens = new ArrayList<>();
            tokens.add(Vocab.CLS);
            tokens.addAll(body.subList(0, Math.min(body.size(), max - 2)));
            tokens.add(Vocab.SEP);
        }
        return Arrays.stream(tok.toIds(tokens)).asLongStream().toArray();
    }

    /** The chosen layer's states of one batch, [B, T, D] as floats, T its longest text. */
    private float[] hidden(List<Encoded> batch) {
        int b = batch.size(), t = batch.get(b - 1).ids().length;
        long[] ids = new long[b * t], types = new long[b * t], mask = new long[b * t];
        for (int k = 0; k < b; k++) {
            long[] e = batch.get(k).ids();
            System.arraycopy(e, 0, ids, k * t, e.length);
            Arrays.fill(types, k * t, k * t + t, settings.tokenType());
            Arrays.fill(mask, k * t, k * t + e.length, 1);
        }
        try (var g = GradMode.noGrad(); TensorScope s = TensorScope.open()) {
            Tensor h = model.bert().hiddenState(Tensor.ofLongs(ids, b, t).to(device), Tensor.ofLongs(types, b, t).to(device),
                    Tensor.ofLongs(mask, b, t).to(device), settings.layer());
            return h.to(Device.CPU).contiguous().toFloatArray();
        }
    }

    /** One text's vector from its {@code len} real token states starting at {@code at}. */
    private void pool(float[] h, int at, int len, int d, float[] out, int to) {
        switch (settings.pooling()) {
            case CLS -> System.arraycopy(h, at, out, to, d);
            case MEAN, OBJECT -> {
                // Bert_object divides by its L slots whatever the text's length (§9.10); mean by the real tokens.
                double div = settings.pooling() == Pooling.MEAN ? len : settings.maxLength();
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int p = 0; p < len; p++) s += h[at + p * d + j];
                    out[to + j] = (float) (s / div);
                }
            }
            case NONE -> throw new IllegalStateException("per-token output is not pooled");
        }
    }
}

package dev.groundwork.models.vgbert;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.data.RelationBatch;
import dev.groundwork.models.vision.VisualConfig;

import java.util.ArrayList;
import java.util.List;

/** A VG-BERT small enough for unit tests (8 px images, D = 16, 2-layer BERT of 40 tokens) and fake batches of random tensors. */
public final class TinyVgBert {
    private TinyVgBert() {}

    public static final int VOCAB = 40, T = 6, O = 4, L = 3;

    public static VgBertConfig config() {
        VisualConfig v = new VisualConfig(List.of(4, "M", 8, "M"), 16, 2, 32, 16, 1e-5, 0.1);
        BertConfig b = new BertConfig(VOCAB, 16, 2, 2, 32, "gelu", 0.1, 0.1, 16, 2, 0.02, 1e-12, 0);
        return new VgBertConfig(v, b, 16, 2, 4, 4, 3, 8, 0.1, 1.0, 0.1, VgBertConfig.FixedDropout.ORIGINAL, false, T, O, L, 8);
    }

    public static List<CaptionBatch> captions(int batches, int b, long seed) {
        Generator g = new Generator(seed);
        List<CaptionBatch> out = new ArrayList<>();
        for (int n = 0; n < batches; n++) {
            long[] ids = new long[b * T], types = new long[b * T], mask = new long[b * T], nw = new long[b];
            for (int i = 0; i < b; i++) {
                nw[i] = 2 + g.nextInt(T - 1);
                for (int t = 0; t < T; t++) {
                    types[i * T + t] = 1;
                    if (t < nw[i]) { ids[i * T + t] = 1 + g.nextInt(VOCAB - 1); mask[i * T + t] = 1; }
                }
            }
            out.add(new CaptionBatch(Tensor.randn(g, b, 3, 8, 8), Tensor.ofLongs(ids, b, T), Tensor.ofLongs(types, b, T),
                    Tensor.ofLongs(mask, b, T), Tensor.ofLongs(nw, b), new int[b]));
        }
        return out;
    }

    public static List<RelationBatch> relations(int batches, int b, long seed) {
        Generator g = new Generator(seed);
        List<RelationBatch> out = new ArrayList<>();
        for (int n = 0; n < batches; n++) {
            long[] ids = new long[b * O * L], types = new long[b * O * L], mask = new long[b * O * L];
            double[] om = new double[b * O];
            long[] ot = new long[b * O], rt = new long[b * O * O];
            for (int i = 0; i < b; i++) {
                int real = 2 + g.nextInt(O - 1);
                // Learnable structure: the phrase tokens name the class, and a pair's predicate is a
                // function of the two classes, so a model can fit it from the phrases alone.
                for (int o = 0; o < O; o++) {
                    for (int t = 0; t < L; t++) types[(i * O + o) * L + t] = 1;
                    if (o >= real) continue;
                    om[i * O + o] = 1;
                    ot[i * O + o] = 1 + g.nextInt(2);
                    ids[(i * O + o) * L] = 1;
                    ids[(i * O + o) * L + 1] = 2 + ot[i * O + o];
                    mask[(i * O + o) * L] = 1;
                    mask[(i * O + o) * L + 1] = 1;
                }
                for (int o = 0; o < real; o++)
                    for (int j = 0; j < real; j++)
                        if (j != o) rt[(i * O + o) * O + j] = 1 + (ot[i * O + o] + 2 * ot[i * O + j]) % 3;
            }
            out.add(new RelationBatch(Tensor.randn(g, b, 3, 8, 8), Tensor.ofLongs(ids, b, O, L), Tensor.ofLongs(types, b, O, L),
                    Tensor.ofLongs(mask, b, O, L), Tensor.of(om, b, O).to(DType.F32), Tensor.ofLongs(ot, b, O),
                    Tensor.ofLongs(rt, b, O, O), new int[b]));
        }
        return out;
    }
}

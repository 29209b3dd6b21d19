package dev.groundwork.models.bert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.ModuleList;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/** The layer stack, children {@code layer.0 ... layer.N-1}; returns the last layer's hidden states only. */
public final class BertEncoder extends Module {
    private final ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig c, Generator gen) {
        layer = registerModule("layer", new ModuleList<>());
        for (int i = 0; i < c.numHiddenLayers(); i++) layer.add(new BertLayer(c, gen));
    }

    public ModuleList<BertLayer> layers() { return layer; }

    public Tensor forward(Tensor x, Tensor attentionMask) { return forward(x, attentionMask, layer.size()); }

    /** The output of the first {@code count} layers (0: {@code x} itself). */
    public Tensor forward(Tensor x, Tensor attentionMask, int count) {
        for (int i = 0; i < count; i++) x = layer.get(i).forward(x, attentionMask);
        return x;
    }
}

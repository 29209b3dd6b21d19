package dev.groundwork.models.interbert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.ModuleList;
import dev.groundwork.engine.ops.F;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertLayer;

import java.util.List;

/**
 * {@code bert.encoder} (spec 1.1-1.2): {@code layer.0..n-1} run over [image ; text] (image first, spec
 * 8.11) with the joint mask, then the sequence splits: {@code layer.n..n+t-1} continue on the text
 * tokens alone, {@code v_layer.*} on the image tokens alone. All three stacks are the BERT layer; they
 * differ only in their hyper-parameters. There is no cross-attention: the original's co-attention
 * classes are never built, and its co_attention_mask input is ignored.
 */
public final class InterBertEncoder extends Module {
    /** The last text-only and image-only hidden states. */
    public record Output(Tensor text, Tensor image) {}

    private final int singleStream;
    private final ModuleList<BertLayer> layer, vLayer;

    public InterBertEncoder(InterBertConfig c, Generator gen) {
        this.singleStream = c.numHiddenLayers();
        layer = registerModule("layer", new ModuleList<>());
        for (int i = 0; i < c.numHiddenLayers() + c.tNumHiddenLayers(); i++) layer.add(new BertLayer(c.textConfig(), gen));
        vLayer = registerModule("v_layer", new ModuleList<>());
        for (int i = 0; i < c.vNumHiddenLayers(); i++) vLayer.add(new BertLayer(c.imageConfig(), gen));
    }

    /**
     * @param text      [B, L, H] text embeddings
     * @param image     [B, R, H] image embeddings
     * @param textMask  [B, L] 1 real token, 0 padding
     * @param imageMask [B, R] 1 real region, 0 padding
     */
    public Output forward(Tensor text, Tensor image, Tensor textMask, Tensor imageMask) {
        int regions = image.size(1), words = text.size(1);
        // The third mask: the joint sequence's keys, in the same image-first order as the tokens (as floats, so
        // masks of different integer types still concatenate).
        Tensor jointMask = F.cat(List.of(imageMask.to(image.dtype()), textMask.to(image.dtype())), 1);
        Tensor x = F.cat(List.of(image, text), 1);
        for (int i = 0; i < singleStream; i++) x = layer.get(i).forward(x, jointMask);
        Tensor v = x.narrow(1, 0, regions), t = x.narrow(1, regions, words);
        for (int i = singleStream; i < layer.size(); i++) t = layer.get(i).forward(t, textMask);
        for (BertLayer l : vLayer) v = l.forward(v, imageMask);
        return new Output(t, v);
    }
}

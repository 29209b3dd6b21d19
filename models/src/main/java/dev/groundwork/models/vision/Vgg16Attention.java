package dev.groundwork.models.vision;

import dev.groundwork.engine.nn.Conv2d;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.Sequential;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * The VG-BERT visual stream (spec 1.1-1.5): {@code image_model} (VGG features without the last pool,
 * torchvision indices, so {@code image_model.N.*} matches VG-BERT checkpoints) -> {@code embedder}
 * (1x1 conv to D) -> {@code attention}. images [B,3,H,W] -> [B, D, H/16, W/16].
 * VGG layers get torchvision's init (they are meant to be overwritten by ImageNet weights); the embedder
 * and attention keep PyTorch's defaults (spec 6.4).
 */
public final class Vgg16Attention extends Module implements UnaryModule {
    private final VisualConfig config;
    private final Sequential imageModel;
    private final Conv2d embedder;
    private final SpatialSelfAttention attention;

    public Vgg16Attention(VisualConfig c, Generator gen) {
        this.config = c;
        this.imageModel = registerModule("image_model", VggFeatures.build(c.cfg(), 3, true, gen));
        Vgg16.torchvisionInit(imageModel, gen);
        this.embedder = registerModule("embedder", new Conv2d(c.backboneChannels(), c.embeddingDim(), 1, 1, 0, gen));
        this.attention = registerModule("attention", new SpatialSelfAttention(c, gen));
    }

    public VisualConfig config() { return config; }

    public Sequential imageModel() { return imageModel; }

    @Override
    public Tensor forward(Tensor images) {
        return attention.forward(embedder.forward(imageModel.forward(images)));
    }
}

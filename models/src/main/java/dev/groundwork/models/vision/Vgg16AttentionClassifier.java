package dev.groundwork.models.vision;

import dev.groundwork.engine.nn.AdaptiveAvgPool2d;
import dev.groundwork.engine.nn.Conv2d;
import dev.groundwork.engine.nn.MaxPool2d;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.Sequential;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Stage-1 ImageNet model (spec 1.6): the visual stream under the same top-level names as
 * {@link Vgg16Attention} ({@code image_model}, {@code embedder}, {@code attention}, so stage 2 keeps them
 * and drops the rest) -> max-pool 2x2/2 (14 -> 7) -> adaptive average pool to 7x7 (identity at 224) ->
 * flatten (D*49 = 37,632) -> {@code classifier} (Linear, ReLU, Dropout 0.5, Linear, ReLU, Dropout 0.5,
 * Linear at indices 0..6, PyTorch default init). {@code hidden} is 4096 in the original; tests use less.
 */
public final class Vgg16AttentionClassifier extends Module implements UnaryModule {
    public Vgg16AttentionClassifier(VisualConfig c, int hidden, int numClasses, Generator gen) {
        Sequential features = registerModule("image_model", VggFeatures.build(c.cfg(), 3, true, gen));
        Vgg16.torchvisionInit(features, gen);
        registerModule("embedder", new Conv2d(c.backboneChannels(), c.embeddingDim(), 1, 1, 0, gen));
        registerModule("attention", new SpatialSelfAttention(c, gen));
        registerModule("maxpool", new MaxPool2d(2, 2, 0));
        registerModule("avgpool", new AdaptiveAvgPool2d(7, 7));
        registerModule("classifier", Vgg16.classifierHead(c.embeddingDim() * 49, hidden, numClasses, 0.5, gen));
    }

    /** images [B,3,224,224] -> logits [B, classes]. */
    @Override
    public Tensor forward(Tensor images) {
        Tensor f = unary("image_model").forward(images);
        f = unary("attention").forward(unary("embedder").forward(f));
        f = unary("avgpool").forward(unary("maxpool").forward(f));
        return unary("classifier").forward(f.flatten(1, 3));
    }

    private UnaryModule unary(String name) { return (UnaryModule) submodule(name); }
}

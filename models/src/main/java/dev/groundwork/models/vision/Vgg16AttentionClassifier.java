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
    private final Sequential imageModel, classifier;
    private final Conv2d embedder;
    private final SpatialSelfAttention attention;
    private final MaxPool2d maxpool;
    private final AdaptiveAvgPool2d avgpool;

    public Vgg16AttentionClassifier(VisualConfig c, int hidden, int numClasses, Generator gen) {
        this.imageModel = registerModule("image_model", VggFeatures.build(c.cfg(), 3, true, gen));
        Vgg16.torchvisionInit(imageModel, gen);
        this.embedder = registerModule("embedder", new Conv2d(c.backboneChannels(), c.embeddingDim(), 1, 1, 0, gen));
        this.attention = registerModule("attention", new SpatialSelfAttention(c, gen));
        this.maxpool = registerModule("maxpool", new MaxPool2d(2, 2, 0));
        this.avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(7, 7));
        this.classifier = registerModule("classifier", Vgg16.classifierHead(c.embeddingDim() * 49, hidden, numClasses, 0.5, gen));
    }

    /** images [B,3,224,224] -> logits [B, classes]. */
    @Override
    public Tensor forward(Tensor images) {
        Tensor f = attention.forward(embedder.forward(imageModel.forward(images)));
        f = avgpool.forward(maxpool.forward(f));
        return classifier.forward(f.flatten(1, 3));
    }
}

package dev.groundwork.models.vision;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.nn.AdaptiveAvgPool2d;
import dev.groundwork.engine.nn.Conv2d;
import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.Init;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.ReLU;
import dev.groundwork.engine.nn.Sequential;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * torchvision's vgg16 layout: {@code features} (configuration D, all five pools), {@code avgpool}
 * (adaptive 7x7) and optionally {@code classifier} (25088 -> 4096 -> 4096 -> classes with ReLU and
 * dropout 0.5 at indices 0..6). Init as torchvision: conv kaiming-normal (fan_out, relu) with zero
 * bias, linear N(0, 0.01) with zero bias. VG-BERT uses only the features, so the head is optional.
 */
public final class Vgg16 extends Module implements UnaryModule {
    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    /** Null without the classifier head. */
    private final Sequential classifier;

    public Vgg16(int numClasses, boolean withClassifier, Generator gen) {
        this.features = registerModule("features", VggFeatures.build(VggFeatures.CFG_D, 3, false, gen));
        this.avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(7, 7));
        this.classifier = withClassifier ? registerModule("classifier", classifierHead(512 * 7 * 7, 4096, numClasses, 0.5, gen)) : null;
        torchvisionInit(this, gen);
    }

    /** Linear -> ReLU -> Dropout -> Linear -> ReLU -> Dropout -> Linear, indices 0..6 as torchvision. */
    static Sequential classifierHead(int in, int hidden, int classes, double p, Generator gen) {
        return new Sequential(new Linear(in, hidden, gen), new ReLU(), new Dropout(p, gen),
                new Linear(hidden, hidden, gen), new ReLU(), new Dropout(p, gen), new Linear(hidden, classes, gen));
    }

    static void torchvisionInit(Module root, Generator gen) {
        try (var s = GradMode.noGrad()) {
            for (Module m : root.namedModules().values()) {
                if (m instanceof Conv2d c) {
                    Init.kaimingNormal_(c.weight(), 0, Init.Mode.FAN_OUT, Init.Nonlinearity.RELU, gen);
                    if (c.bias() != null) Init.zeros_(c.bias());
                } else if (m instanceof Linear l) {
                    Init.normal_(l.weight(), 0, 0.01, gen);
                    if (l.bias() != null) Init.zeros_(l.bias());
                }
            }
        }
    }

    public Sequential features() { return features; }

    /** images [N,3,H,W] -> logits [N,classes] with the classifier, else pooled features [N,512,7,7]. */
    @Override
    public Tensor forward(Tensor images) {
        Tensor f = avgpool.forward(features.forward(images));
        return classifier != null ? classifier.forward(f.flatten(1, 3)) : f;
    }
}

package dev.groundwork.models.vgbert;

import dev.groundwork.engine.nn.Dropout;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.nn.ReLU;
import dev.groundwork.engine.nn.UnaryModule;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * Auxiliary object classifier (spec 4.4): Linear(D -> hidden), ReLU, Dropout(p), Linear(hidden -> classes),
 * children "0".."3" so checkpoints map as {@code object_classifier.0.*} and {@code object_classifier.3.*}.
 * The original hard-codes 768 -> 256 -> 56 with p = 0.1 ({@link #vgBert}).
 */
public final class ObjectClassifier extends Module implements UnaryModule {
    private final Linear hiddenLayer, outputLayer;
    private final ReLU relu;
    private final Dropout dropout;

    public ObjectClassifier(int dim, int hidden, int classes, double p, Generator gen) {
        this.hiddenLayer = registerModule("0", new Linear(dim, hidden, gen));
        this.relu = registerModule("1", new ReLU());
        this.dropout = registerModule("2", new Dropout(p, gen));
        this.outputLayer = registerModule("3", new Linear(hidden, classes, gen));
    }

    public static ObjectClassifier vgBert(Generator gen) { return new ObjectClassifier(768, 256, 56, 0.1, gen); }

    /** g [.., D] -> logits [.., classes] */
    @Override
    public Tensor forward(Tensor g) {
        return outputLayer.forward(dropout.forward(relu.forward(hiddenLayer.forward(g))));
    }
}

package dev.groundwork.models.bert;

import dev.groundwork.engine.autograd.GradMode;
import dev.groundwork.engine.nn.Embedding;
import dev.groundwork.engine.nn.Init;
import dev.groundwork.engine.nn.LayerNorm;
import dev.groundwork.engine.nn.Linear;
import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * HF's BertPreTrainedModel._init_weights over a module tree: Linear and Embedding weights from
 * N(0, initializer_range), Linear biases 0, an embedding's padding row 0, LayerNorm weight 1 and bias 0.
 * The layers' constructors have already drawn torch's defaults; this overwrites them, as HF does.
 */
public final class BertInit {
    private BertInit() {}

    public static <M extends Module> M apply(M root, double std, Generator gen) {
        try (var s = GradMode.noGrad()) {
            for (Module m : root.namedModules().values()) {
                switch (m) {
                    case Linear l -> {
                        Init.normal_(l.weight(), 0, std, gen);
                        if (l.bias() != null) Init.zeros_(l.bias());
                    }
                    case Embedding e -> {
                        Init.normal_(e.weight(), 0, std, gen);
                        if (e.paddingIdx() >= 0) {
                            try (Tensor d = e.weight().detach(); Tensor row = d.select(0, e.paddingIdx())) {
                                row.fill_(0);
                            }
                        }
                    }
                    case LayerNorm n -> {
                        if (n.weight() != null) Init.ones_(n.weight());
                        if (n.bias() != null) Init.zeros_(n.bias());
                    }
                    default -> { }
                }
            }
        }
        return root;
    }
}

package dev.groundwork.engine.nn;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;

/**
 * A hand-built tree shaped like Hugging Face's BertModel (hidden 8, intermediate 12), just deep enough
 * to produce its parameter names: embeddings.*, encoder.layer.N.attention.self.query.*, pooler.dense.*.
 */
final class TinyBert extends Module {
    static final int HIDDEN = 8, VOCAB = 10, INTERMEDIATE = 12;

    final Embeddings embeddings;
    final Encoder encoder;
    final Pooler pooler;

    TinyBert(int layers, Generator gen) {
        embeddings = registerModule("embeddings", new Embeddings(gen));
        encoder = registerModule("encoder", new Encoder(layers, gen));
        pooler = registerModule("pooler", new Pooler(gen));
    }

    static final class Embeddings extends Module {
        Embeddings(Generator gen) {
            registerModule("word_embeddings", new Embedding(VOCAB, HIDDEN, 0, gen));
            registerModule("position_embeddings", new Embedding(6, HIDDEN, gen));
            registerModule("LayerNorm", new LayerNorm(HIDDEN, 1e-12, true));
            // position ids are recomputable, so (as in recent transformers) they stay out of the state dict.
            registerBuffer("position_ids", Tensor.arange(6).to(dev.groundwork.engine.tensor.DType.I64), false);
        }
    }

    static final class Encoder extends Module {
        final ModuleList<Layer> layer;

        Encoder(int n, Generator gen) {
            layer = registerModule("layer", new ModuleList<>());
            for (int i = 0; i < n; i++) layer.add(new Layer(gen));
        }
    }

    static final class Layer extends Module {
        Layer(Generator gen) {
            registerModule("attention", new Attention(gen));
            registerModule("intermediate", new Dense(HIDDEN, INTERMEDIATE, false, gen));
            registerModule("output", new Dense(INTERMEDIATE, HIDDEN, true, gen));
        }
    }

    static final class Attention extends Module {
        Attention(Generator gen) {
            registerModule("self", new SelfAttention(gen));
            registerModule("output", new Dense(HIDDEN, HIDDEN, true, gen));
        }
    }

    static final class SelfAttention extends Module {
        SelfAttention(Generator gen) {
            registerModule("query", new Linear(HIDDEN, HIDDEN, gen));
            registerModule("key", new Linear(HIDDEN, HIDDEN, gen));
            registerModule("value", new Linear(HIDDEN, HIDDEN, gen));
        }
    }

    /** dense (+ LayerNorm), like BertSelfOutput / BertIntermediate / BertOutput. */
    static final class Dense extends Module {
        Dense(int in, int out, boolean norm, Generator gen) {
            registerModule("dense", new Linear(in, out, gen));
            if (norm) registerModule("LayerNorm", new LayerNorm(out, 1e-12, true));
        }
    }

    static final class Pooler extends Module {
        Pooler(Generator gen) { registerModule("dense", new Linear(HIDDEN, HIDDEN, gen)); }
    }
}

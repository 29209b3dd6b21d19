package dev.groundwork.tools;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.search.Embedder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Turns a VG-BERT transfer checkpoint into an {@link Embedder} for {@code gw search} and
 * {@code gw eval retrieval}. The commands use {@link TransferEmbedderFactory} unless a factory was
 * passed to their constructor or {@link #register registered} (tests hand in a fake).
 */
public interface EmbedderFactory {
    /** Loads the model behind {@code checkpoint}. */
    Embedder open(Path checkpoint) throws IOException;

    /** The evaluation image transform for this model (spec §5.4): file → [3,S,S], normalised. */
    Function<Path, Tensor> imageTransform(Embedder embedder);

    /** Makes {@code factory} the one commands built without an explicit factory use (null clears it). */
    static void register(EmbedderFactory factory) { Registered.factory = factory; }

    /** The registered factory, or null. */
    static EmbedderFactory registered() { return Registered.factory; }

    /** Holder for the registration: an interface cannot own a mutable field itself. */
    final class Registered {
        private static volatile EmbedderFactory factory;

        private Registered() {}
    }
}

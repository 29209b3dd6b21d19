package dev.groundwork.tools;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.search.Embedder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Turns a VG-BERT transfer checkpoint into an {@link Embedder} for {@code gw search} and
 * {@code gw eval retrieval}. The commands use {@link TransferEmbedderFactory} (with their --vocab and
 * --device) unless a factory is passed to their constructor, which is how tests hand in a fake.
 */
public interface EmbedderFactory {
    /** Loads the model behind {@code checkpoint}. */
    Embedder open(Path checkpoint) throws IOException;

    /** The evaluation image transform for this model (spec §5.4): file → [3,S,S], normalised. */
    Function<Path, Tensor> imageTransform(Embedder embedder);
}

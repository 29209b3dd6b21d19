package dev.groundwork.models.search;

import dev.groundwork.engine.tensor.Tensor;

/**
 * What image search needs from a model: both modalities mapped into one metric space (spec §7.3:
 * image → visual stream → W_K → image head → mean → L2; text → BERT → W_Q → language head → mean → L2).
 * Kept this small so search and its tests do not depend on how the model is built or loaded.
 */
public interface Embedder {
    /** images [B,3,S,S], already preprocessed and normalised, to L2-normalised vectors [B,D]. */
    Tensor embedImages(Tensor images);

    /** One text query (a word or a sentence) to an L2-normalised vector [D]. */
    Tensor embedText(String text);

    /** S, the side of the square images {@link #embedImages} expects. */
    int imageSize();
}

package dev.groundwork.tools;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.embed.EmbedSettings;
import dev.groundwork.models.embed.EmbeddingFiles;
import dev.groundwork.models.eval.semantic.WordVectors;
import dev.groundwork.models.language.LanguageModels;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@code --model} may name, for {@code gw embed} and {@code gw eval semantic}: a Hugging Face folder,
 * a VG-BERT or InterBERT checkpoint, a Groundwork run folder, {@code untrained:demo[:SEED]}
 * ({@link LanguageModels#open}), or, for the evaluation, an embedding table written by {@code gw embed}.
 */
final class ModelSource {
    private ModelSource() {}

    /** NAME=SOURCE, or a bare SOURCE named after its file or folder. */
    record Named(String name, String source) {
        static Named parse(String s) {
            int at = s.indexOf('=');
            if (at > 0 && !s.startsWith(LanguageModels.UNTRAINED)) return new Named(s.substring(0, at), s.substring(at + 1));
            String name = s.startsWith(LanguageModels.UNTRAINED) ? s : Path.of(s).getFileName().toString();
            return new Named(name, s);
        }
    }

    /** Word vectors for the evaluation: an embedding table as it is, anything else embedded with {@code settings}. */
    static WordVectors vectors(Named m, EmbedSettings settings, Path vocab, Device device) throws IOException {
        if (!m.source().startsWith(LanguageModels.UNTRAINED) && EmbeddingFiles.isEmbeddingFile(Path.of(m.source())))
            return WordVectors.table(m.name(), EmbeddingFiles.read(Path.of(m.source())));
        return WordVectors.encoder(m.name(), LanguageModels.open(m.source(), vocab), settings, device);
    }
}

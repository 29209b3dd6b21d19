package dev.groundwork.tools;

import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.search.Embedder;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.vgbert.TransferEmbedder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** The real {@link EmbedderFactory}: VG-BERT transfer checkpoints through {@link TransferEmbedder}. */
final class TransferEmbedderFactory implements EmbedderFactory {
    private final Path vocab;
    private final Device device;

    TransferEmbedderFactory(Path vocab, Device device) {
        this.vocab = vocab;
        this.device = device;
    }

    /**
     * The factory a command uses: the one passed to its constructor, else the registered one, else
     * this real one with the command's --vocab and --device (a bad --device is a usage error).
     */
    static EmbedderFactory chosen(EmbedderFactory given, picocli.CommandLine.Model.CommandSpec spec, Path vocab, String device) {
        EmbedderFactory f = given != null ? given : EmbedderFactory.registered();
        if (f != null) return f;
        Device d;
        try {
            d = device == null ? Settings.current().device() : Device.parse(device);
        } catch (IllegalArgumentException ex) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--device: " + ex.getMessage());
        }
        return new TransferEmbedderFactory(vocab, d);
    }

    @Override
    public Embedder open(Path checkpoint) throws IOException {
        if (!Files.isRegularFile(vocab)) throw new IOException("--vocab " + vocab + ": no such file (bert-base-uncased vocab.txt)");
        return TransferEmbedder.load(checkpoint, BertTokenizer.load(vocab), device);
    }

    @Override
    public Function<Path, Tensor> imageTransform(Embedder embedder) {
        TransferEmbedder e = (TransferEmbedder) embedder;
        return file -> {
            try {
                return e.imageTensor(file);
            } catch (DataException ex) {
                throw new UncheckedIOException(new IOException(ex.getMessage(), ex));
            }
        };
    }
}

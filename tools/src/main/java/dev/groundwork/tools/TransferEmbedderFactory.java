package dev.groundwork.tools;

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

    /** {@code given} when a caller (a test) passed one, else this real factory with the command's --vocab and --device. */
    static EmbedderFactory orReal(EmbedderFactory given, VocabOption vocab, DeviceOption device) {
        return given != null ? given : new TransferEmbedderFactory(vocab.path(), device.resolve());
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

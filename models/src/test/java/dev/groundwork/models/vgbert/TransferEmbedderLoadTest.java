package dev.groundwork.models.vgbert;

import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TransferEmbedder#load}, the loading behind {@code gw search} and {@code gw eval}, through the one weight loader. */
class TransferEmbedderLoadTest {
    @TempDir Path tmp;

    /** A demo-width transfer model with 3 relations, saved the way DataParallel names it. */
    private Map<String, Tensor> saved(Path file) throws Exception {
        TransferModel m = new TransferModel(VgBertConfig.demo().withRelations(3), new Generator(11));
        Map<String, Tensor> sd = new LinkedHashMap<>();
        m.stateDict().forEach((n, t) -> sd.put("module." + n, t));
        TensorFiles.save(file, sd);
        return sd;
    }

    @Test
    void aDataParallelTransferCheckpointLoads() throws Exception {
        Path file = tmp.resolve("transfer.safetensors");
        Map<String, Tensor> sd = saved(file);
        TransferEmbedder e = TransferEmbedder.load(file, null, Device.CPU); // the tokenizer is not used by loading
        assertEquals(3, e.model().config().relations());
        String name = "cross_attention_model.relational_matrix";
        assertArrayEquals(sd.get("module." + name).toFloatArray(), e.model().get(name).toFloatArray());
    }

    @Test
    void aTensorShortIsRefusedNamingIt() throws Exception {
        Path file = tmp.resolve("transfer.safetensors");
        Map<String, Tensor> sd = new LinkedHashMap<>(saved(file));
        sd.remove("module.language_projection_head.0.bias");
        Path broken = tmp.resolve("broken.safetensors");
        TensorFiles.save(broken, sd);
        var ex = assertThrows(IllegalArgumentException.class, () -> TransferEmbedder.load(broken, null, Device.CPU));
        assertTrue(ex.getMessage().contains("is not a transfer-model checkpoint")
                && ex.getMessage().contains("missing (1): [language_projection_head.0.bias]"), ex.getMessage());
    }
}

package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.io.SafeTensorsFile;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint file of either family, safetensors or {@code torch.save}, told apart by its first
 * bytes ({@link CheckpointFormat}) and seen the same way: names, dtypes and shapes on open, then the
 * tensors as stored ({@link #raw}, for a bit-exact conversion) or as engine tensors ({@link #tensors}).
 * Every command and loader that reads weights opens them here.
 */
public final class CheckpointFile {
    private final Path path;
    private final CheckpointFormat format;
    private final List<TorchCheckpoint.TensorInfo> infos = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private TorchCheckpoint torch;

    private CheckpointFile(Path path, CheckpointFormat format) {
        this.path = path;
        this.format = format;
    }

    /** Reads names, dtypes and shapes only; an unknown format is refused naming the file. */
    public static CheckpointFile open(Path path) throws IOException {
        CheckpointFormat f = CheckpointFormat.detect(path);
        CheckpointFile c = new CheckpointFile(path, f);
        switch (f) {
            case SAFETENSORS -> {
                try (SafeTensorsFile st = SafeTensorsFile.open(path)) {
                    for (String n : st.names()) c.infos.add(new TorchCheckpoint.TensorInfo(n, st.entry(n).dtypeEnum(), st.entry(n).shape()));
                    c.values.putAll(st.metadata());
                }
            }
            case TORCH_ZIP, TORCH_LEGACY -> {
                c.torch = TorchCheckpoint.open(path);
                c.infos.addAll(c.torch.tensorInfos());
                c.values.putAll(c.torch.values());
            }
            default -> throw new CheckpointException(path, "unknown format: neither safetensors nor a PyTorch checkpoint");
        }
        return c;
    }

    public Path path() { return path; }

    public CheckpointFormat format() { return format; }

    /** Every tensor's name, dtype as stored and shape, in file order. */
    public List<TorchCheckpoint.TensorInfo> infos() { return Collections.unmodifiableList(infos); }

    /** Safetensors metadata, or a torch checkpoint's plain top-level values next to its state dict. */
    public Map<String, Object> values() { return Collections.unmodifiableMap(values); }

    /** For torch files: the top-level key the state dict sat under; null for safetensors or a bare state dict. */
    public String wrapperKey() { return torch == null ? null : torch.wrapperKey(); }

    /** For torch files: entries that are neither tensors nor plain values, with their kind. */
    public List<String> skipped() { return torch == null ? List.of() : torch.skipped(); }

    /** Every tensor's bytes in its stored dtype. */
    public LinkedHashMap<String, RawTensor> raw() throws IOException {
        if (torch != null) return torch.rawTensors();
        LinkedHashMap<String, RawTensor> out = new LinkedHashMap<>();
        try (SafeTensorsFile st = SafeTensorsFile.open(path)) {
            for (String n : st.names()) {
                var e = st.entry(n);
                out.put(n, new RawTensor(e.dtypeEnum(), e.shape(), st.segment(n).toArray(ValueLayout.JAVA_BYTE)));
            }
        }
        return out;
    }

    /** Every tensor as an engine tensor (F16/BF16 widened to F32, integers to I64), in file order. */
    public Map<String, Tensor> tensors() throws IOException {
        return torch != null ? torch.tensors() : TensorFiles.load(path);
    }

    public String describeFormat() {
        return switch (format) {
            case SAFETENSORS -> "safetensors";
            case TORCH_ZIP -> "pytorch zip";
            case TORCH_LEGACY -> "pytorch legacy (pre-1.6)";
            case UNKNOWN -> "unknown";
        };
    }
}

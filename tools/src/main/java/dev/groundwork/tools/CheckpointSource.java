package dev.groundwork.tools;

import dev.groundwork.engine.io.SafeDType;
import dev.groundwork.engine.io.SafeTensorsFile;
import dev.groundwork.models.checkpoint.CheckpointException;
import dev.groundwork.models.checkpoint.CheckpointFormat;
import dev.groundwork.models.checkpoint.RawTensor;
import dev.groundwork.models.checkpoint.TorchCheckpoint;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A checkpoint file of either format seen the same way by the commands: tensor listing, values, data. */
final class CheckpointSource {
    record Info(String name, SafeDType dtype, long[] shape) {
        long numel() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    final Path path;
    final CheckpointFormat format;
    final List<Info> infos = new ArrayList<>();
    /** Safetensors metadata, or a torch checkpoint's plain top-level values. */
    final Map<String, Object> values = new LinkedHashMap<>();
    /** For torch files: where the state dict sat (null: top level) and what was not a tensor. */
    String wrapperKey;
    List<String> skipped = List.of();
    private TorchCheckpoint torch;

    private CheckpointSource(Path path, CheckpointFormat format) {
        this.path = path;
        this.format = format;
    }

    /** Reads names, dtypes and shapes only. */
    static CheckpointSource open(Path path) throws IOException {
        CheckpointFormat f = CheckpointFormat.detect(path);
        CheckpointSource s = new CheckpointSource(path, f);
        switch (f) {
            case SAFETENSORS -> {
                try (SafeTensorsFile st = SafeTensorsFile.open(path)) {
                    for (String n : st.names()) s.infos.add(new Info(n, st.entry(n).dtypeEnum(), st.entry(n).shape()));
                    s.values.putAll(st.metadata());
                }
            }
            case TORCH_ZIP, TORCH_LEGACY -> {
                s.torch = TorchCheckpoint.open(path);
                for (var i : s.torch.tensorInfos()) s.infos.add(new Info(i.name(), i.dtype(), i.shape()));
                s.values.putAll(s.torch.values());
                s.wrapperKey = s.torch.wrapperKey();
                s.skipped = s.torch.skipped();
            }
            default -> throw new CheckpointException(path, "unknown format: neither safetensors nor a PyTorch checkpoint");
        }
        return s;
    }

    /** Every tensor's bytes in its stored dtype. */
    LinkedHashMap<String, RawTensor> raw() throws IOException {
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

    String describeFormat() {
        return switch (format) {
            case SAFETENSORS -> "safetensors";
            case TORCH_ZIP -> "pytorch zip";
            case TORCH_LEGACY -> "pytorch legacy (pre-1.6)";
            case UNKNOWN -> "unknown";
        };
    }
}

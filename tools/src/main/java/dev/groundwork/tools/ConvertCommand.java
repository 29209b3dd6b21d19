package dev.groundwork.tools;

import dev.groundwork.engine.io.SafeTensorsWriter;
import dev.groundwork.models.checkpoint.CheckpointFile;
import dev.groundwork.models.checkpoint.CheckpointNames;
import dev.groundwork.models.checkpoint.RawTensor;
import dev.groundwork.models.checkpoint.TorchCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code gw convert IN OUT.safetensors}: a PyTorch (or safetensors) checkpoint to safetensors, each
 * tensor in its stored dtype, bit for bit, optionally renamed to our module names.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a PyTorch checkpoint (or a safetensors file) to safetensors, optionally renaming tensors.")
public final class ConvertCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "torch.save checkpoint (.bin, .pt, .pth, .pth.tar) or .safetensors")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the .safetensors file to write (atomically)")
    Path out;

    @Option(names = "--map", paramLabel = "SCHEME", defaultValue = "none",
            description = "rename tensors: vgbert | hf-bert | torchvision-vgg16 | interbert (an original InterBERT checkpoint)"
                    + " | bert-interbert (a BERT checkpoint under InterBERT's names, pooler and NSP head dropped) | none (default: ${DEFAULT-VALUE})")
    String map;

    @Override
    public Integer call() {
        CheckpointNames.Scheme scheme;
        try {
            scheme = CheckpointNames.Scheme.parse(map);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("gw convert: " + e.getMessage());
            return Failures.BAD_INPUT;
        }
        CheckpointFile src;
        CheckpointNames.Mapped<RawTensor> mapped;
        try {
            src = CheckpointFile.open(in);
            mapped = CheckpointNames.apply(src.raw(), scheme);
        } catch (IOException | RuntimeException e) {
            return Failures.report(spec, in, e);
        }
        String wrongKind = CheckpointNames.refusal(scheme, src.infos().stream().map(TorchCheckpoint.TensorInfo::name).toList());
        if (wrongKind != null) return Failures.report(spec, in, new IllegalArgumentException(wrongKind));
        // The InterBERT maps check what the file is instead: an original InterBERT file may need no renaming.
        if (scheme != CheckpointNames.Scheme.NONE && !scheme.checksKind() && mapped.notes().isEmpty()
                && src.infos().stream().allMatch(i -> mapped.entries().containsKey(i.name())))
            return Failures.report(spec, in, new IllegalArgumentException("--map " + scheme.cliName()
                    + " renames no tensor: the names do not follow that scheme (use --map none to convert them as they are)"));
        SafeTensorsWriter w = new SafeTensorsWriter();
        // Plain values (epoch, loss, ...) survive as string metadata, with where the tensors came from.
        src.values().forEach((k, v) -> w.putMetadata(k, String.valueOf(v)));
        w.putMetadata("converted_from", in.getFileName().toString());
        if (scheme != CheckpointNames.Scheme.NONE) w.putMetadata("name_map", scheme.cliName());
        long params = 0;
        for (var e : mapped.entries().entrySet()) {
            RawTensor r = e.getValue();
            byte[] data = r.data();
            w.put(e.getKey(), r.dtype(), r.shape(), java.lang.foreign.MemorySegment.ofArray(data));
            params += r.numel();
        }
        try {
            w.write(out);
        } catch (IOException | RuntimeException e) {
            return Failures.report(spec, out, e);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s: %d tensors, %,d parameters from %s (%s, map %s)%n", out, mapped.entries().size(), params, in,
                src.describeFormat(), scheme.cliName());
        for (String note : mapped.notes()) o.println("note: " + note);
        o.flush();
        return 0;
    }
}

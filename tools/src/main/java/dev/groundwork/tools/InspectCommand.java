package dev.groundwork.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.groundwork.engine.nn.NamePattern;
import dev.groundwork.models.checkpoint.CheckpointFile;
import dev.groundwork.models.checkpoint.CheckpointFormat;
import dev.groundwork.models.checkpoint.InterBertNames;
import dev.groundwork.models.checkpoint.TorchCheckpoint.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * {@code gw inspect FILE}: what a checkpoint holds, without reading tensor data; for BERT and InterBERT
 * files also which network they are and which heads they carry ({@link InterBertNames#recognise}).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List the tensors of a safetensors or PyTorch checkpoint: names, dtypes as stored, shapes, counts;"
                + " for BERT and InterBERT checkpoints also the network and its heads.")
public final class InspectCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a .safetensors file or a torch.save checkpoint (.bin, .pt, .pth, .pth.tar)")
    Path file;

    @Option(names = "--filter", paramLabel = "GLOB", description = "only names matching the glob (* spans dots; a module prefix matches its tensors; re:REGEX also works)")
    String filter;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() {
        CheckpointFile src;
        try {
            src = CheckpointFile.open(file);
        } catch (IOException | RuntimeException e) {
            return Failures.report(spec, file, e);
        }
        Predicate<String> keep = filter == null ? n -> true : NamePattern.compile(filter);
        List<TensorInfo> shown = new ArrayList<>();
        for (var i : src.infos()) if (keep.test(i.name())) shown.add(i);
        long total = shown.stream().mapToLong(TensorInfo::numel).sum();
        InterBertNames.Recognised model = InterBertNames.recognise(shapes(src.infos()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(json(src, shown, total, model));
        else text(out, src, shown, total, model);
        out.flush();
        return 0;
    }

    /** Names to shapes for recognition; a dimension beyond int range only shows in a head's size, so it is clamped. */
    private static Map<String, int[]> shapes(List<TensorInfo> infos) {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (var i : infos) m.put(i.name(), Arrays.stream(i.shape()).mapToInt(d -> (int) Math.min(d, Integer.MAX_VALUE)).toArray());
        return m;
    }

    private void text(PrintWriter out, CheckpointFile src, List<TensorInfo> shown, long total, InterBertNames.Recognised model) {
        out.println(file + " (" + src.describeFormat() + (src.wrapperKey() == null ? "" : ", state dict under '" + src.wrapperKey() + "'") + ")");
        if (model != null) out.println("model: " + model.describe());
        int w = Math.max(4, shown.stream().mapToInt(i -> i.name().length()).max().orElse(4));
        out.printf("%-" + w + "s  %-5s  %-20s  %s%n", "name", "dtype", "shape", "elements");
        for (var i : shown)
            out.printf("%-" + w + "s  %-5s  %-20s  %,d%n", i.name(), i.dtype(), Arrays.toString(i.shape()), i.numel());
        out.printf("%d tensors, %,d parameters%s%n", shown.size(), total,
                filter == null ? "" : " (matching '" + filter + "'; " + src.infos().size() + " in the file)");
        if (!src.values().isEmpty()) out.println((src.format() == CheckpointFormat.SAFETENSORS ? "metadata: " : "values: ") + src.values());
        if (!src.skipped().isEmpty()) out.println("not tensors (skipped): " + src.skipped());
    }

    private String json(CheckpointFile src, List<TensorInfo> shown, long total, InterBertNames.Recognised model) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("file", file.toString());
        root.put("format", src.format().name().toLowerCase());
        root.put("state_dict_key", src.wrapperKey());
        Map<String, Object> m = null;
        if (model != null) {
            m = new LinkedHashMap<>();
            m.put("family", model.family().name().toLowerCase());
            m.put("model", model.model());
            m.put("text_layers", model.textLayers());
            m.put("image_layers", model.imageLayers());
            m.put("heads", model.heads());
        }
        root.put("model", m);
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (var i : shown) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", i.name());
            t.put("dtype", i.dtype().name());
            t.put("shape", i.shape());
            t.put("numel", i.numel());
            tensors.add(t);
        }
        root.put("tensors", tensors);
        root.put("count", shown.size());
        root.put("parameters", total);
        root.put("values", src.values());
        root.put("skipped", src.skipped());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

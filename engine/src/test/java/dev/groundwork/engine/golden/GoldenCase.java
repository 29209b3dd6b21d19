package dev.groundwork.engine.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.io.TensorFiles;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One PyTorch golden case folder (see ../shared/golden/README.md). */
public record GoldenCase(Path dir, String kind, JsonNode config, double outputsTol, double gradsTol,
                         List<String> outputs, List<String> grads,
                         Map<String, Tensor> inputs, Map<String, Tensor> weights, Map<String, Tensor> expected) {

    /** $GW_GOLDEN, else ../shared/golden relative to the repository root. */
    public static Path root() {
        var env = dev.groundwork.engine.settings.Settings.current().golden();
        if (env.isPresent()) return env.get();
        String repo = System.getProperty("gw.root", ".");
        return Path.of(repo).resolve("../shared/golden").normalize();
    }

    /** Every folder holding a case.json under root()/sub, sorted by name. */
    public static List<Path> find(String sub) throws IOException { return findUnder(root().resolve(sub)); }

    /** Every folder holding a case.json under {@code base}, sorted by name. */
    public static List<Path> findUnder(Path base) throws IOException {
        if (!Files.isDirectory(base)) return List.of();
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(p -> p.getFileName().toString().equals("case.json")).map(Path::getParent).sorted().toList();
        }
    }

    public static GoldenCase load(Path dir) throws IOException {
        JsonNode c = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        List<String> outs = new ArrayList<>(), grads = new ArrayList<>();
        c.path("outputs").forEach(n -> outs.add(n.asText()));
        c.path("grads").forEach(n -> grads.add(n.asText()));
        Path w = dir.resolve("weights.safetensors");
        return new GoldenCase(dir, c.path("kind").asText(), c.path("config"),
                c.path("tolerance").path("outputs_rel_l2").asDouble(1e-4), c.path("tolerance").path("grads_rel_l2").asDouble(1e-3),
                outs, grads,
                TensorFiles.load(dir.resolve("inputs.safetensors")),
                Files.exists(w) ? TensorFiles.load(w) : Map.of(),
                TensorFiles.load(dir.resolve("expected.safetensors")));
    }

    public String name() { return dir.getFileName().toString(); }
}

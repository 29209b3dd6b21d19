package dev.groundwork.models.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PyTorch-made fixtures of make_fixtures.py and the values torch computed for them. */
final class Fixtures {
    private Fixtures() {}

    static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/checkpoint/expected.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) { return dir().resolve(name); }

    static JsonNode expected(String file) throws IOException {
        return new ObjectMapper().readTree(file("expected.json").toFile()).get(file);
    }

    /** Checks names (in order), shapes and values of {@code got} against torch's record for {@code file}. */
    static void assertMatches(String file, Map<String, Tensor> got, Map<String, String> rename) throws IOException {
        JsonNode exp = expected(file);
        Iterator<String> names = exp.fieldNames();
        Iterator<String> gotNames = got.keySet().iterator();
        while (names.hasNext()) {
            String torchName = names.next();
            String name = rename.getOrDefault(torchName, torchName);
            assertEquals(name, gotNames.next(), "order of tensors in " + file);
            JsonNode e = exp.get(torchName);
            Tensor t = got.get(name);
            int[] shape = new int[e.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = e.get("shape").get(i).asInt();
            assertArrayEquals(shape, t.shape(), name + " shape");
            boolean floating = e.get("dtype").asText().startsWith("float") || e.get("dtype").asText().startsWith("bfloat");
            if (floating) {
                assertTrue(t.dtype().isFloating(), name + " should be floating");
                double[] v = t.toDoubleArray();
                assertEquals(e.get("sum").asDouble(), Arrays.stream(v).sum(), 1e-9 * (1 + Math.abs(e.get("sum").asDouble())), name + " sum");
                for (int i = 0; i < e.get("first").size(); i++) assertEquals(e.get("first").get(i).asDouble(), v[i], 0.0, name + "[" + i + "]");
                if (v.length > 0) assertEquals(e.get("last").asDouble(), v[v.length - 1], 0.0, name + " last");
            } else {
                assertEquals(DType.I64, t.dtype(), name + " dtype");
                long[] v = t.toLongArray();
                assertEquals(e.get("sum").asDouble(), (double) Arrays.stream(v).sum(), 0.0, name + " sum");
                for (int i = 0; i < e.get("first").size(); i++) assertEquals(e.get("first").get(i).asLong(), v[i], name + "[" + i + "]");
                assertEquals(e.get("last").asLong(), v[v.length - 1], name + " last");
            }
        }
        assertTrue(!gotNames.hasNext(), "extra tensors in " + file);
    }
}

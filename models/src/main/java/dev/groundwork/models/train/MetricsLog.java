package dev.groundwork.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code metrics.jsonl}: one JSON object per finished epoch, appended. */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public MetricsLog(Path file) { this.file = file; }

    public Path file() { return file; }

    public void append(Map<String, Object> record) throws IOException {
        String line = JSON.writeValueAsString(record) + "\n";
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Drops lines of epochs after {@code epochsDone}: a run killed between writing its metrics line and
     * its checkpoint would otherwise log that epoch twice after resuming.
     */
    public void truncateAfter(int epochsDone) throws IOException {
        if (!Files.exists(file)) return;
        List<String> kept = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.isBlank()) continue;
            JsonNode n = JSON.readTree(l);
            if (n.path("epoch").asInt(0) <= epochsDone) kept.add(l);
        }
        Files.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n", StandardCharsets.UTF_8);
    }

    /** Every record, in order (for tests and the demo summary). */
    public List<JsonNode> read() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) if (!l.isBlank()) out.add(JSON.readTree(l));
        return out;
    }
}

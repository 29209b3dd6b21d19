package dev.groundwork.tools;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run's metrics.jsonl as numeric series: one JSON object per line, the x axis taken from
 * "epoch" when every line has it, else from "step"; every other numeric field is a series.
 */
record MetricsLog(String xName, Map<String, Series> series) {
    record Series(List<Double> x, List<Double> y) {}

    /** Python's json.dumps writes NaN and Infinity; accept them rather than fail on a diverged run. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    static MetricsLog read(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode n;
            try {
                n = JSON.readTree(lines.get(i));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IOException(file + ":" + (i + 1) + ": not JSON: " + e.getOriginalMessage());
            }
            if (!n.isObject()) throw new IOException(file + ":" + (i + 1) + ": not a JSON object");
            rows.add(n);
        }
        if (rows.isEmpty()) throw new IOException(file + ": no metrics");
        String x = rows.stream().allMatch(r -> r.path("epoch").isNumber()) ? "epoch"
                : rows.stream().allMatch(r -> r.path("step").isNumber()) ? "step" : null;
        if (x == null) throw new IOException(file + ": every line needs a numeric \"epoch\" (or every line a \"step\")");
        Map<String, Series> series = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            double xv = r.get(x).asDouble();
            for (var f : r.properties()) {
                String k = f.getKey();
                if (k.equals("epoch") || k.equals("step") || !f.getValue().isNumber()) continue;
                double v = f.getValue().asDouble();
                if (!Double.isFinite(v)) continue; // a gap in the curve, not a broken axis
                Series s = series.computeIfAbsent(k, key -> new Series(new ArrayList<>(), new ArrayList<>()));
                s.x().add(xv);
                s.y().add(v);
            }
        }
        if (series.isEmpty()) throw new IOException(file + ": no numeric fields besides " + x);
        return new MetricsLog(x, series);
    }

    /**
     * Which chart a metric goes on: losses share one, accuracies and recalls another (same 0..1 or
     * 0..100 scale); anything else (learning rate, timings) gets its own so scales do not clash.
     */
    static String group(String metric) {
        String m = metric.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("loss")) return "loss";
        if (m.startsWith("acc") || m.contains("_acc") || m.contains("recall") || m.matches(".*\\br@\\d+.*|.*(^|_)r\\d+$|.*rsum.*")) return "accuracy";
        return m.replaceAll("[^a-z0-9_.@-]", "_");
    }
}

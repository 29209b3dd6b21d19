package dev.groundwork.models.train;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run's {@code metrics.jsonl}: one JSON object per line, appended by the {@link Trainer}, read by the
 * demo and drawn by {@code gw plot}. Records carry a {@code "kind"}:
 * <ul>
 *   <li>{@code "epoch"}: one per finished epoch ({@code epoch}, {@code step}, {@code lr}, {@code train},
 *       {@code val}, the best epoch so far, the elapsed time);
 *   <li>{@code "step"}: every N optimizer steps when asked ({@code step}, {@code epoch}, the mean
 *       {@code loss} over those N steps, {@code lr}, {@code samples_per_s});
 *   <li>{@code "partial"}: the epoch a step limit stopped in the middle ({@code batches} of
 *       {@code batches_per_epoch} done, the training summary so far).
 * </ul>
 * Lines without a kind (written by other tools) are read as epoch records.
 *
 * <p>One rule for numbers that are not finite: they are written as {@code null} (JSON has no NaN), and
 * reading takes {@code null}, {@code NaN} and {@code Infinity} alike as a gap, so logs written by
 * Python's json.dumps read too.
 */
public final class MetricsLog {
    public static final String KIND = "kind", EPOCH = "epoch", STEP = "step", PARTIAL = "partial";
    public static final String BATCHES = "batches", BATCHES_PER_EPOCH = "batches_per_epoch";
    /** Bookkeeping fields: axes and counters, never drawn as a curve. */
    private static final Set<String> NOT_SERIES = Set.of(KIND, EPOCH, STEP, BATCHES, BATCHES_PER_EPOCH);
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    /** One curve: x and y values with the gaps left out. */
    public record Series(List<Double> x, List<Double> y) {}

    /** The curves of one kind of record against its axis ({@code "epoch"} or {@code "step"}), by flattened field name ({@code train.loss}). */
    public record Curves(String kind, String x, Map<String, Series> series) {}

    private final Path file;

    public MetricsLog(Path file) { this.file = file; }

    public Path file() { return file; }

    /** Appends one record; non-finite numbers, nested ones included, are written as null. */
    public void append(Map<String, ?> record) throws IOException {
        String line = JSON.writeValueAsString(finite(record)) + "\n";
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Keeps what a checkpoint after {@code epochsDone} epochs and {@code stepsDone} steps has seen:
     * epoch records up to that epoch, step records up to that step, and no partial record (a resumed
     * run finishes that epoch and writes its full record). A run killed between writing a record and
     * its checkpoint would otherwise log it twice after resuming.
     */
    public void truncate(int epochsDone, long stepsDone) throws IOException {
        if (!Files.exists(file)) return;
        List<String> kept = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank()) continue;
            JsonNode n = parse(l, i);
            boolean keep = switch (kind(n)) {
                case STEP -> n.path(STEP).asLong(Long.MAX_VALUE) <= stepsDone;
                case PARTIAL -> false;
                default -> n.path(EPOCH).asInt(Integer.MAX_VALUE) <= epochsDone;
            };
            if (keep) kept.add(l);
        }
        Files.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n", StandardCharsets.UTF_8);
    }

    /** Every record, in order; none when the file does not exist. A line that is not a JSON object fails naming file and line. */
    public List<JsonNode> read() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) if (!lines.get(i).isBlank()) out.add(parse(lines.get(i), i));
        return out;
    }

    /** The epoch record of 1-based {@code epoch}, if written. */
    public Optional<JsonNode> epochRecord(int epoch) throws IOException {
        for (JsonNode n : read()) if (kind(n).equals(EPOCH) && n.path(EPOCH).asInt() == epoch) return Optional.of(n);
        return Optional.empty();
    }

    /** The kind of a record; lines without one count as epoch records. */
    public static String kind(JsonNode record) { return record.path(KIND).asText(EPOCH); }

    /**
     * The numeric fields as curves: epoch and partial records against the epoch (a partial epoch at its
     * fraction done; lines of other tools without an epoch against their step), step records against the
     * step. Nested objects are flattened ({@code val.relation_acc1}). Kinds without numbers are left out.
     */
    public List<Curves> curves() throws IOException {
        List<JsonNode> rows = read();
        if (rows.isEmpty()) throw new IOException(file + ": no metrics");
        List<JsonNode> epochs = rows.stream().filter(r -> !kind(r).equals(STEP)).toList();
        List<JsonNode> steps = rows.stream().filter(r -> kind(r).equals(STEP)).toList();
        List<Curves> out = new ArrayList<>();
        if (!epochs.isEmpty()) {
            String x = epochs.stream().allMatch(r -> r.path(EPOCH).isNumber()) ? EPOCH
                    : epochs.stream().allMatch(r -> r.path(STEP).isNumber()) ? STEP : null;
            if (x == null) throw new IOException(file + ": every line needs a numeric \"epoch\" (or every line a \"step\")");
            Map<String, Series> s = series(epochs, x);
            if (!s.isEmpty()) out.add(new Curves(EPOCH, x, s));
        }
        if (!steps.isEmpty()) {
            if (!steps.stream().allMatch(r -> r.path(STEP).isNumber())) throw new IOException(file + ": a step record without a numeric \"step\"");
            Map<String, Series> s = series(steps, STEP);
            if (!s.isEmpty()) out.add(new Curves(STEP, STEP, s));
        }
        if (out.isEmpty()) throw new IOException(file + ": no numeric fields besides epoch and step");
        return out;
    }

    private static Map<String, Series> series(List<JsonNode> rows, String x) {
        Map<String, Series> series = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            double xv = r.get(x).asDouble();
            if (kind(r).equals(PARTIAL) && x.equals(EPOCH) && r.path(BATCHES_PER_EPOCH).asInt() > 0)
                xv = xv - 1 + r.path(BATCHES).asDouble() / r.path(BATCHES_PER_EPOCH).asInt();
            collect(r, "", xv, series);
        }
        return series;
    }

    private static void collect(JsonNode node, String prefix, double x, Map<String, Series> series) {
        for (var f : node.properties()) {
            String k = prefix + f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject()) collect(v, k + ".", x, series);
            else if (prefix.isEmpty() && NOT_SERIES.contains(k)) continue;
            else if (v.isNumber() && Double.isFinite(v.asDouble())) {
                Series s = series.computeIfAbsent(k, key -> new Series(new ArrayList<>(), new ArrayList<>()));
                s.x().add(x);
                s.y().add(v.asDouble());
            }
        }
    }

    private JsonNode parse(String line, int index) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ":" + (index + 1) + ": not JSON: " + e.getOriginalMessage());
        }
        if (!n.isObject()) throw new IOException(file + ":" + (index + 1) + ": not a JSON object");
        return n;
    }

    private static Object finite(Object v) {
        if (v instanceof Double d) return Double.isFinite(d) ? d : null;
        if (v instanceof Float f) return Float.isFinite(f) ? f : null;
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, finite(x)));
            return out;
        }
        return v;
    }
}

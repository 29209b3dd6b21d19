package dev.groundwork.models.interbert.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.models.data.DataException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * VCR's annotations (spec 3.4): {@code train.jsonl} / {@code val.jsonl}, one question per line with
 * {@code question}, four {@code answer_choices} and {@code rationale_choices} (each a list whose items
 * are a word or a list of object indices), the labels, {@code img_id} ({@code train-123}) and
 * {@code metadata_fn}, a path under {@code vcr1images/} to the image's JSON with {@code names} (the
 * object class names). Questions keep the file's order: the evaluation aligns results by position.
 */
public record VcrAnnotations(Path file, List<Question> questions) {
    /** A word, or (when {@code objects} is non-null) a reference to detected objects by index. */
    public record Word(String text, int[] objects) {}

    public record Question(int line, String imgId, String annotId, String metadataFn, List<Word> question,
                           List<List<Word>> answers, List<List<Word>> rationales, int answerLabel, int rationaleLabel) {
        /** The feature-store key of {@link #imgId()}: train-k → k, val-k → k + 1,000,000, test-k → k + 2,000,000. */
        public String featureKey() { return VcrAnnotations.featureKey(imgId); }
    }

    public static final int CHOICES = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static String featureKey(String imgId) {
        int dash = imgId.lastIndexOf('-');
        long k;
        try {
            k = Long.parseLong(imgId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        String split = dash < 0 ? "" : imgId.substring(0, dash);
        long base = split.contains("train") ? 0 : split.contains("val") ? 1_000_000 : split.contains("test") ? 2_000_000 : -1;
        return base < 0 || k < 0 ? null : Long.toString(base + k);
    }

    /** {@code test} files have no labels; they read as 0, as the original does. */
    public static VcrAnnotations read(Path file) throws DataException {
        boolean test = file.getFileName().toString().startsWith("test");
        return new VcrAnnotations(file, JsonLines.read(file, (n, line) -> question(n, line, file, test)));
    }

    private static Question question(JsonNode n, int line, Path file, boolean test) throws DataException {
        String img = str(n, "img_id", line, file), annot = n.has("annot_id") ? str(n, "annot_id", line, file) : img;
        if (featureKey(img) == null) throw bad(line, file, "img_id '" + img + "' is not train-N, val-N or test-N");
        List<List<Word>> answers = choices(n, "answer_choices", line, file), rationales = choices(n, "rationale_choices", line, file);
        int a = test ? 0 : label(n, "answer_label", line, file), ra = test ? 0 : label(n, "rationale_label", line, file);
        return new Question(line, img, annot, str(n, "metadata_fn", line, file), words(n.get("question"), "question", line, file), answers, rationales, a, ra);
    }

    private static List<List<Word>> choices(JsonNode n, String field, int line, Path file) throws DataException {
        JsonNode c = n.get(field);
        if (c == null || !c.isArray() || c.size() != CHOICES) throw bad(line, file, "'" + field + "' must be a list of " + CHOICES);
        List<List<Word>> out = new ArrayList<>();
        for (int i = 0; i < CHOICES; i++) out.add(words(c.get(i), field + "[" + i + "]", line, file));
        return List.copyOf(out);
    }

    private static List<Word> words(JsonNode a, String field, int line, Path file) throws DataException {
        if (a == null || !a.isArray()) throw bad(line, file, "'" + field + "' missing or not a list");
        List<Word> out = new ArrayList<>();
        for (JsonNode w : a) {
            if (w.isTextual()) out.add(new Word(w.asText(), null));
            else if (w.isArray()) {
                int[] idx = new int[w.size()];
                for (int i = 0; i < idx.length; i++) {
                    if (!w.get(i).canConvertToInt() || !w.get(i).isIntegralNumber() || w.get(i).asInt() < 0)
                        throw bad(line, file, "'" + field + "' refers to object " + w.get(i) + ", not an index");
                    idx[i] = w.get(i).asInt();
                }
                out.add(new Word(null, idx));
            } else throw bad(line, file, "'" + field + "' holds " + w.getNodeType() + ", not a word or a list of object indices");
        }
        return List.copyOf(out);
    }

    private static String str(JsonNode n, String f, int line, Path file) throws DataException {
        JsonNode v = n.get(f);
        if (v == null || !v.isTextual()) throw bad(line, file, "'" + f + "' missing or not a string");
        return v.asText();
    }

    private static int label(JsonNode n, String f, int line, Path file) throws DataException {
        JsonNode v = n.get(f);
        if (v == null || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() >= CHOICES) throw bad(line, file, "'" + f + "' must be 0.." + (CHOICES - 1));
        return v.asInt();
    }

    private static DataException bad(int line, Path file, String why) { return new DataException(-1, file, "line " + line + ": " + why); }

    /** The object class names of an image's metadata JSON ({@code names}). */
    public static List<String> names(Path metadata) throws DataException {
        JsonNode root;
        try {
            root = JSON.readTree(metadata.toFile());
        } catch (IOException e) {
            throw new DataException(-1, metadata, Files.exists(metadata) ? "malformed JSON: " + e.getMessage().lines().findFirst().orElse("") : "no such file", e);
        }
        JsonNode n = root == null ? null : root.get("names");
        if (n == null || !n.isArray()) throw new DataException(-1, metadata, "'names' missing or not a list");
        List<String> out = new ArrayList<>();
        for (JsonNode s : n) {
            if (!s.isTextual()) throw new DataException(-1, metadata, "'names' holds a non-string");
            out.add(s.asText());
        }
        return List.copyOf(out);
    }

    /** The gender-neutral names of {@code unisex_names_table.csv}: column 1 of every row but the header. */
    public static List<String> nameTable(Path csv) throws DataException {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
                String[] cols = line.split(",", -1);
                if (cols.length < 2 || cols[1].equals("name") || cols[1].isBlank()) continue;
                out.add(cols[1].strip());
            }
        } catch (NoSuchFileException e) {
            throw new DataException(-1, csv, "no such file", e);
        } catch (IOException e) {
            throw new DataException(-1, csv, "cannot read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) throw new DataException(-1, csv, "has no names in column 1");
        return List.copyOf(out);
    }
}

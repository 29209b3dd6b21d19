package dev.groundwork.models.eval.semantic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Feature norms in CSLB's layout (Devereux et al. 2014; its licence keeps it out of this repository):
 * <ul>
 *   <li>{@code feature_matrix.dat}: tab-separated, a header row (a label such as "Vectors", then one
 *       column per feature), then one row per concept: its name, then each feature's production
 *       frequency (a non-negative number; above 0 means the concept has the feature);</li>
 *   <li>the feature types, from CSLB's {@code norms.dat} beside it (or any tab-separated file whose
 *       header has a {@code feature} and a {@code feature type} column): visual perceptual, other
 *       perceptual, functional, encyclopaedic, taxonomic. A feature it does not type is "untyped".</li>
 * </ul>
 * A concept's text is its name with underscores as spaces and a trailing sense in parentheses dropped
 * ({@code bat_(baseball)} is embedded as "bat"). Files are UTF-8, or Latin-1 when they are not valid
 * UTF-8 (CSLB's distribution is Latin-1). A line that does not parse is an error naming the file and
 * the line.
 *
 * @param positive [concept][feature]
 */
public record FeatureNorms(Path file, List<String> concepts, List<String> features, List<String> types, boolean[][] positive) {
    public static final String MATRIX = "feature_matrix.dat", TYPES = "norms.dat", UNTYPED = "untyped";
    /** A norms file of more than this is not CSLB (638 concepts x 2725 features is about 3.5 MB). */
    static final long MAX_BYTES = 256L << 20;

    /** {@code matrix} and its feature types from {@code types}, or from norms.dat beside it when null. */
    public static FeatureNorms load(Path matrix, Path types) throws IOException {
        Path typeFile = types != null ? types : matrix.resolveSibling(TYPES);
        if (!Files.isRegularFile(typeFile))
            throw new IOException(matrix + ": its feature types come from " + typeFile + ", which does not exist (give them with --norm-types)");
        Map<String, String> typeOf = readTypes(typeFile);
        List<String> lines = lines(matrix);
        if (lines.isEmpty()) throw new IOException(matrix + ": empty");
        String[] header = lines.get(0).split("\t", -1);
        if (header.length < 2) throw new IOException(matrix + ":1: the header needs a label and at least one feature, tab-separated");
        List<String> features = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int j = 1; j < header.length; j++) {
            String f = header[j].strip();
            if (f.isEmpty()) throw new IOException(matrix + ":1: feature column " + (j + 1) + " has no name");
            Integer prev = seen.put(f, j);
            if (prev != null) throw new IOException(matrix + ":1: feature '" + f + "' is named in columns " + (prev + 1) + " and " + (j + 1));
            features.add(f);
        }
        List<String> concepts = new ArrayList<>();
        List<boolean[]> rows = new ArrayList<>();
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank()) continue;
            String[] cells = line.split("\t", -1);
            String where = matrix + ":" + (ln + 1) + ": ";
            if (cells.length != header.length)
                throw new IOException(where + cells.length + " tab-separated cells, the header has " + header.length);
            String concept = cells[0].strip();
            if (concept.isEmpty()) throw new IOException(where + "no concept name in the first cell");
            boolean[] row = new boolean[features.size()];
            for (int j = 1; j < cells.length; j++) {
                double v;
                try {
                    v = Double.parseDouble(cells[j].strip());
                } catch (NumberFormatException e) {
                    throw new IOException(where + "feature '" + features.get(j - 1) + "' has '" + cells[j] + "', not a number");
                }
                if (!(v >= 0) || Double.isInfinite(v))
                    throw new IOException(where + "feature '" + features.get(j - 1) + "' has " + cells[j] + "; production frequencies are non-negative");
                row[j - 1] = v > 0;
            }
            concepts.add(concept);
            rows.add(row);
        }
        if (concepts.isEmpty()) throw new IOException(matrix + ": no concept rows after the header");
        List<String> featureTypes = features.stream().map(f -> typeOf.getOrDefault(f, UNTYPED)).toList();
        return new FeatureNorms(matrix, List.copyOf(concepts), List.copyOf(features), featureTypes, rows.toArray(new boolean[0][]));
    }

    /** The text embedded for a concept name: underscores as spaces, a trailing "(sense)" dropped. */
    public static String text(String concept) {
        String t = concept.replaceAll("_?\\([^()]*\\)\\s*$", "");
        return t.replace('_', ' ').strip();
    }

    /** Concepts having feature {@code f}. */
    public int positives(int f) {
        int n = 0;
        for (boolean[] r : positive) if (r[f]) n++;
        return n;
    }

    /** feature -> type from a file with "feature" and "feature type" (or "feature_type") header columns. */
    static Map<String, String> readTypes(Path file) throws IOException {
        List<String> lines = lines(file);
        if (lines.isEmpty()) throw new IOException(file + ": empty");
        String[] header = lines.get(0).split("\t", -1);
        int fCol = -1, tCol = -1;
        for (int j = 0; j < header.length; j++) {
            String h = header[j].strip().toLowerCase(Locale.ROOT).replace('_', ' ');
            if (h.equals("feature")) fCol = j;
            if (h.equals("feature type")) tCol = j;
        }
        if (fCol < 0 || tCol < 0) throw new IOException(file + ":1: the header has no 'feature' and 'feature type' columns (tab-separated)");
        Map<String, String> out = new LinkedHashMap<>();
        for (int ln = 1; ln < lines.size(); ln++) {
            if (lines.get(ln).isBlank()) continue;
            String[] cells = lines.get(ln).split("\t", -1);
            if (cells.length <= Math.max(fCol, tCol))
                throw new IOException(file + ":" + (ln + 1) + ": " + cells.length + " cells, too few for the feature and feature type columns");
            String f = cells[fCol].strip(), t = cells[tCol].strip();
            if (f.isEmpty() || t.isEmpty()) throw new IOException(file + ":" + (ln + 1) + ": empty feature or feature type");
            String prev = out.putIfAbsent(f, t);
            if (prev != null && !prev.equals(t))
                throw new IOException(file + ":" + (ln + 1) + ": feature '" + f + "' is typed '" + t + "' here and '" + prev + "' before");
        }
        return out;
    }

    private static List<String> lines(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) throw new IOException(file + ": " + size + " bytes; a norms file over " + MAX_BYTES + " bytes is refused");
        byte[] b = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            text = new String(b, StandardCharsets.ISO_8859_1);
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        return List.of(text.split("\r?\n", -1)).stream().toList();
    }
}

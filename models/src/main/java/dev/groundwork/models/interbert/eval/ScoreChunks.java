package dev.groundwork.models.interbert.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The score matrix on disk, one file per block of caption rows ({@code chunk-NNNNNN.f32}, little-endian
 * float32, rows × images), each written atomically: a stopped evaluation keeps every finished block and
 * the next run computes only the missing ones. {@code meta.json} names what the scores are of (model
 * file, mode, split, sizes); a folder holding scores of anything else is refused rather than mixed in.
 */
final class ScoreChunks {
    static final String META = "meta.json";

    private final Path dir;
    private final int rows, images;

    ScoreChunks(Path dir, int rows, int images, Map<String, String> identity) throws IOException {
        this.dir = dir;
        this.rows = rows;
        this.images = images;
        Files.createDirectories(dir);
        Map<String, String> id = new TreeMap<>(identity);
        id.put("rowsPerChunk", Integer.toString(rows));
        id.put("images", Integer.toString(images));
        ObjectMapper json = new ObjectMapper();
        Path meta = dir.resolve(META);
        if (Files.exists(meta)) {
            Map<String, String> was = new TreeMap<>();
            json.readTree(meta.toFile()).properties().forEach(e -> was.put(e.getKey(), e.getValue().asText()));
            if (!was.equals(id))
                throw new IOException(dir + " holds scores of another evaluation (" + differences(was, id)
                        + "); choose another --out or delete the folder to start over");
        } else {
            ObjectNode n = json.createObjectNode();
            id.forEach(n::put);
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
            AtomicFiles.write(meta, ch -> ch.write(ByteBuffer.wrap(bytes)));
        }
    }

    private static String differences(Map<String, String> was, Map<String, String> now) {
        StringBuilder b = new StringBuilder();
        for (String k : new java.util.TreeSet<>(now.keySet())) {
            if (!now.get(k).equals(was.get(k))) b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(was.get(k)).append(" there, ").append(now.get(k)).append(" now");
        }
        return b.toString();
    }

    Path file(int chunk) { return dir.resolve(String.format("chunk-%06d.f32", chunk)); }

    /** The block's scores if it was finished (a file of the wrong size is an error naming it), else null. */
    float[][] read(int chunk, int n) throws IOException {
        Path f = file(chunk);
        if (!Files.exists(f)) return null;
        long want = 4L * n * images;
        if (Files.size(f) != want) throw new IOException(f + " has " + Files.size(f) + " bytes, a block of " + n + " captions x " + images + " images has " + want);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[n][images];
        for (float[] row : out) for (int i = 0; i < images; i++) row[i] = b.getFloat();
        return out;
    }

    void write(int chunk, float[][] block) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * block.length * images).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : block) for (float v : row) b.putFloat(v);
        b.flip();
        AtomicFiles.write(file(chunk), ch -> { while (b.hasRemaining()) ch.write(b); });
    }

    int rows() { return rows; }
}

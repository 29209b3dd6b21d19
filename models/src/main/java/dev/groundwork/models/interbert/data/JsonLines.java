package dev.groundwork.models.interbert.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.models.data.DataException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JSON-lines file, one object per line (blank lines skipped), each parsed with its 1-based line number. */
final class JsonLines {
    interface Parser<T> {
        T parse(JsonNode line, int number) throws DataException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    static <T> List<T> read(Path file, Parser<T> parser) throws DataException {
        List<T> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (!line.isBlank()) out.add(parser.parse(JSON.readTree(line), no));
            }
        } catch (NoSuchFileException e) {
            throw new DataException(-1, file, "no such file", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataException(-1, file, "malformed JSON line: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DataException(-1, file, "cannot read: " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }
}

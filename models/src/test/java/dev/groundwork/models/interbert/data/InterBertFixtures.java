package dev.groundwork.models.interbert.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The InterBERT fixtures in their original formats, {@code shared/data/interbert} beside the
 * repository root (or an ancestor of it, for git worktrees). Absent: the test is skipped, unless CI
 * is set, where a missing fixture must fail rather than pass silently.
 */
public final class InterBertFixtures {
    static final String NAME = "shared/data/interbert";

    private InterBertFixtures() {}

    public static Path dir() {
        Path root = Path.of(System.getProperty("gw.root", ".")).toAbsolutePath().normalize();
        for (Path d = root.getParent(); d != null; d = d.getParent()) {
            Path c = d.resolve(NAME);
            if (Files.isRegularFile(c.resolve("expected.json"))) return c;
        }
        String why = "../" + NAME + " not found above " + root;
        if (System.getenv("CI") != null) fail(why + " (CI is set, so this is a failure)");
        Assumptions.abort(why + "; skipping tests of InterBERT's original data formats");
        return null;
    }

    private static dev.groundwork.models.text.BertTokenizer tokenizer;

    /** The real bert-base-uncased tokenizer from shared/data beside the fixtures. */
    public static synchronized dev.groundwork.models.text.BertTokenizer tokenizer() {
        if (tokenizer == null) {
            try {
                tokenizer = dev.groundwork.models.text.BertTokenizer.load(dir().getParent().resolve("bert-base-uncased-vocab.txt"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizer;
    }

    public static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(dir().resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.groundwork.models.text;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real bert-base-uncased vocab.txt from ../shared/data. It is looked for next to the
 * repository root ({@code gw.root}, set by surefire) and, because a git worktree sits one level
 * deeper than the main checkout, next to each ancestor of it. Absent file: the test is skipped,
 * unless CI is set, where a missing fixture must not pass silently.
 */
public final class RealVocab {
    static final String NAME = "shared/data/bert-base-uncased-vocab.txt";
    private static Vocab vocab;
    private static BertTokenizer tokenizer;

    private RealVocab() {}

    public static Path locate() {
        Path root = Path.of(System.getProperty("gw.root", ".")).toAbsolutePath().normalize();
        for (Path dir = root.getParent(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(NAME);
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return null;
    }

    static synchronized Vocab vocab() {
        if (vocab == null) {
            Path file = locate();
            String why = "../" + NAME + " not found above " + System.getProperty("gw.root", ".");
            if (file == null) {
                if (System.getenv("CI") != null) fail(why + " (CI is set, so this is a failure)");
                Assumptions.abort(why + "; skipping tests that need the real bert-base-uncased vocab");
            }
            try {
                vocab = Vocab.load(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vocab;
    }

    static synchronized BertTokenizer tokenizer() {
        if (tokenizer == null) tokenizer = new BertTokenizer(vocab());
        return tokenizer;
    }

    /** The id of {@code token} read from the vocab file itself; fails if absent. */
    static int id(String token) {
        return vocab().id(token).orElseThrow(() -> new AssertionError(token + " not in vocab.txt"));
    }
}

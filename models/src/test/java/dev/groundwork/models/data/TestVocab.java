package dev.groundwork.models.data;

import dev.groundwork.models.text.BertTokenizer;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real bert-base-uncased vocab: {@code <gw.root>/../shared/data/...} (main checkout) or
 * {@code /work/shared/data/...} (git worktrees under /work/wt). Absent: skip, unless CI is set.
 */
final class TestVocab {
    private static BertTokenizer tokenizer;

    private TestVocab() {}

    static synchronized BertTokenizer tokenizer() {
        if (tokenizer != null) return tokenizer;
        Path root = Path.of(System.getProperty("gw.root", ".")).toAbsolutePath().normalize();
        List<Path> candidates = new ArrayList<>();
        if (root.getParent() != null) candidates.add(root.getParent().resolve("shared/data/bert-base-uncased-vocab.txt"));
        candidates.add(Path.of("/work/shared/data/bert-base-uncased-vocab.txt"));
        for (Path p : candidates)
            if (Files.isRegularFile(p)) {
                try {
                    return tokenizer = BertTokenizer.load(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        String why = "bert-base-uncased-vocab.txt not found at " + candidates;
        if (System.getenv("CI") != null) fail(why + " (CI is set)");
        Assumptions.abort(why);
        return null;
    }
}

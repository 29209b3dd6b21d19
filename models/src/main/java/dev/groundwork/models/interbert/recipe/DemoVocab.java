package dev.groundwork.models.interbert.recipe;

import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.Vocab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The demo's vocabulary: bert-base-uncased's five special tokens and every word piece bert-base-uncased
 * gives the text files of a synthetic data folder (captions, VCR questions, names), a few hundred entries.
 * WordPiece is greedy longest-match, so a text tokenises to the same pieces with this subset as with the
 * full vocabulary (the piece it chose is here, and no longer one is). It keeps the MLM head's softmax at a
 * few hundred classes instead of 30,522: on 2 CPU cores that is most of a pretraining step's time at demo size.
 */
public final class DemoVocab {
    private DemoVocab() {}

    /** Writes the subset of {@code full} that the texts under {@code data} use to {@code out}; returns its size. */
    public static int write(Path data, Path full, Path out) throws IOException {
        BertTokenizer tok = BertTokenizer.load(full);
        TreeSet<String> pieces = new TreeSet<>();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).filter(DemoVocab::isText)::iterator)
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) pieces.addAll(tok.tokenize(line));
        }
        List<String> tokens = new ArrayList<>(List.of(Vocab.PAD, Vocab.UNK, Vocab.CLS, Vocab.SEP, Vocab.MASK));
        for (String p : pieces) if (!tokens.contains(p)) tokens.add(p);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, String.join("\n", tokens) + "\n");
        return tokens.size();
    }

    private static boolean isText(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".jsonline") || n.endsWith(".csv");
    }
}

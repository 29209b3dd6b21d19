package dev.groundwork.models.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A WordPiece vocabulary as BERT ships it in {@code vocab.txt}: one token per line, UTF-8, and a
 * token's id is its zero-based line index. Tokens are kept byte-for-byte (no trimming), because
 * entries such as {@code [unused0]} or {@code ##s} are matched exactly.
 *
 * <p>Only the LF terminator is removed, as HuggingFace's {@code load_vocab} does. HuggingFace
 * would silently accept a CR, an empty line or a duplicate; each of those would shift or shadow
 * ids without warning, so here they are errors that name the file and the line.
 */
public final class Vocab {
    public static final String PAD = "[PAD]", UNK = "[UNK]", CLS = "[CLS]", SEP = "[SEP]", MASK = "[MASK]";

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final int pad, unk, cls, sep, mask;

    private Vocab(String source, List<String> tokens, Map<String, Integer> ids) throws IOException {
        this.tokens = List.copyOf(tokens);
        this.ids = Map.copyOf(ids);
        // Looked up by string, never assumed: a different vocab may place them elsewhere.
        this.pad = require(source, PAD);
        this.unk = require(source, UNK);
        this.cls = require(source, CLS);
        this.sep = require(source, SEP);
        this.mask = require(source, MASK);
    }

    /** Reads {@code file}; errors say {@code file:line: what}. */
    public static Vocab load(Path file) throws IOException {
        return parse(file.toString(), Files.readAllBytes(file));
    }

    /** Parses vocab bytes; {@code source} names them in error messages. */
    public static Vocab parse(String source, byte[] bytes) throws IOException {
        // Decoded line by line with REPORT so a bad byte is blamed on its own line.
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> tokens = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') end++;
            int line = tokens.size() + 1;
            String token;
            try {
                token = utf8.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                throw new IOException(source + ":" + line + ": not valid UTF-8");
            }
            if (line == 1 && token.startsWith("\uFEFF"))
                throw new IOException(source + ":1: starts with a byte-order mark; it would become part of token 0");
            if (token.isEmpty())
                throw new IOException(source + ":" + line + ": empty line; every line must hold one token");
            if (token.indexOf('\r') >= 0)
                throw new IOException(source + ":" + line + ": carriage return; vocab.txt must use LF line endings");
            Integer previous = ids.putIfAbsent(token, tokens.size());
            if (previous != null)
                throw new IOException(source + ":" + line + ": duplicate token '" + token
                        + "' (first on line " + (previous + 1) + ")");
            tokens.add(token);
            start = end + 1; // a final LF does not open an extra, empty token
        }
        if (tokens.isEmpty()) throw new IOException(source + ": empty vocabulary");
        return new Vocab(source, tokens, ids);
    }

    /**
     * A vocabulary given as tokens in id order (a {@code tokenizer.json}'s WordPiece map, already checked
     * to be dense); a duplicate or empty token is an error naming {@code source} and the id.
     */
    public static Vocab of(String source, List<String> tokens) throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t == null || t.isEmpty()) throw new IOException(source + ": id " + i + " has no token");
            Integer previous = ids.putIfAbsent(t, i);
            if (previous != null) throw new IOException(source + ": token '" + t + "' has two ids, " + previous + " and " + i);
        }
        if (tokens.isEmpty()) throw new IOException(source + ": empty vocabulary");
        return new Vocab(source, tokens, ids);
    }

    private int require(String source, String token) throws IOException {
        Integer id = ids.get(token);
        if (id == null) throw new IOException(source + ": no line holds the special token " + token);
        return id;
    }

    public int size() { return tokens.size(); }

    public boolean contains(String token) { return ids.containsKey(token); }

    /** The id of {@code token}, if present. */
    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The id of {@code token}, or [UNK]'s id (HuggingFace's convert_tokens_to_ids). */
    public int idOrUnk(String token) { return ids.getOrDefault(token, unk); }

    public String token(int id) {
        if (id < 0 || id >= tokens.size())
            throw new IndexOutOfBoundsException("token id " + id + " outside vocab of " + tokens.size());
        return tokens.get(id);
    }

    public int padId() { return pad; }
    public int unkId() { return unk; }
    public int clsId() { return cls; }
    public int sepId() { return sep; }
    public int maskId() { return mask; }
}

package dev.groundwork.models.text;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer of a Hugging Face BERT folder, read as the user got it:
 * <ul>
 *   <li>{@code tokenizer.json} (the fast tokenizer, what {@code AutoTokenizer} loads) when present: its
 *       WordPiece vocabulary and its BertNormalizer (clean_text, handle_chinese_chars, strip_accents,
 *       lowercase);</li>
 *   <li>else {@code vocab.txt} with {@code tokenizer_config.json}'s do_lower_case, strip_accents and
 *       tokenize_chinese_chars (absent keys take BertTokenizer's defaults: lower-case, CJK split,
 *       accents following lower-casing).</li>
 * </ul>
 * {@code BertTokenizerFast} then checks the normaliser against its own do_lower_case, strip_accents and
 * tokenize_chinese_chars ({@code tokenizer_config.json}'s, else True, unset, True) and, if any differs,
 * replaces all three with those: so does this class, so a folder reads as {@code AutoTokenizer} reads it.
 * The files' truncation and padding are ignored: the commands' flags decide those. A tokenizer that is
 * not BERT's (another model type, normaliser or pre-tokenizer, extra added tokens, another subword
 * prefix) is refused with the file and the field named, never read approximately.
 */
public final class TokenizerFiles {
    public static final String TOKENIZER_JSON = "tokenizer.json", VOCAB_TXT = "vocab.txt", TOKENIZER_CONFIG = "tokenizer_config.json";
    /** bert-base-uncased's tokenizer.json is 466 KB; a multilingual one a few MB. */
    static final long MAX_JSON = 64L << 20;

    private TokenizerFiles() {}

    /** Whether {@code folder} holds a tokenizer this class reads. */
    public static boolean present(Path folder) {
        return Files.isRegularFile(folder.resolve(TOKENIZER_JSON)) || Files.isRegularFile(folder.resolve(VOCAB_TXT));
    }

    /** The folder's tokenizer, as the class comment says. */
    public static BertTokenizer load(Path folder) throws IOException {
        Path json = folder.resolve(TOKENIZER_JSON), txt = folder.resolve(VOCAB_TXT), cfg = folder.resolve(TOKENIZER_CONFIG);
        JsonNode config = Files.isRegularFile(cfg) ? readJson(cfg) : null;
        if (Files.isRegularFile(json)) {
            JsonNode root = readJson(json);
            Vocab vocab = wordPieceVocab(json, root);
            checkPreTokenizer(json, root.path("pre_tokenizer"));
            checkAddedTokens(json, root.path("added_tokens"));
            return new BertTokenizer(vocab, normalizer(json, root.path("normalizer"), config));
        }
        if (Files.isRegularFile(txt)) return new BertTokenizer(Vocab.load(txt), wanted(config).resolved(true));
        throw new IOException(folder + ": no tokenizer (neither " + TOKENIZER_JSON + " nor " + VOCAB_TXT + ")");
    }

    private static JsonNode readJson(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_JSON) throw new IOException(file + ": " + size + " bytes; a tokenizer file over " + MAX_JSON + " bytes is refused");
        JsonFactory f = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();
        try {
            return new ObjectMapper(f).readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** model.type WordPiece, "##" continuation, 100 characters per word, and a dense id map. */
    private static Vocab wordPieceVocab(Path file, JsonNode root) throws IOException {
        JsonNode model = root.path("model");
        String type = model.path("type").asText("");
        if (!type.equals("WordPiece"))
            throw new IOException(file + ": model.type is '" + type + "'; only BERT's WordPiece tokenizer is supported");
        String prefix = model.path("continuing_subword_prefix").asText("##");
        if (!prefix.equals("##")) throw new IOException(file + ": model.continuing_subword_prefix is '" + prefix + "', BERT's is '##'");
        int maxChars = model.path("max_input_chars_per_word").asInt(WordPiece.MAX_CHARS_PER_WORD);
        if (maxChars != WordPiece.MAX_CHARS_PER_WORD)
            throw new IOException(file + ": model.max_input_chars_per_word is " + maxChars + ", BERT's is " + WordPiece.MAX_CHARS_PER_WORD);
        String unk = model.path("unk_token").asText(Vocab.UNK);
        if (!unk.equals(Vocab.UNK)) throw new IOException(file + ": model.unk_token is '" + unk + "', BERT's is " + Vocab.UNK);
        JsonNode map = model.path("vocab");
        if (!map.isObject() || map.isEmpty()) throw new IOException(file + ": model.vocab is not a token -> id map");
        String[] byId = new String[map.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode id = e.getValue();
            if (!id.canConvertToInt() || !id.isIntegralNumber() || id.asInt() < 0 || id.asInt() >= byId.length)
                throw new IOException(file + ": model.vocab gives '" + e.getKey() + "' the id " + id + ", outside 0.." + (byId.length - 1));
            if (byId[id.asInt()] != null)
                throw new IOException(file + ": model.vocab gives the id " + id + " to both '" + byId[id.asInt()] + "' and '" + e.getKey() + "'");
            byId[id.asInt()] = e.getKey();
        }
        return Vocab.of(file + " model.vocab", Arrays.asList(byId));
    }

    /** tokenizer.json's BertNormalizer, after BertTokenizerFast's check against {@link #wanted}. */
    private static Normalization normalizer(Path file, JsonNode n, JsonNode config) throws IOException {
        // No normaliser at all: the text goes to the pre-tokenizer as it is (BertTokenizerFast adds none then).
        if (n.isMissingNode() || n.isNull()) return new Normalization(false, false, false, false);
        String type = n.path("type").asText("");
        if (!type.equals("BertNormalizer"))
            throw new IOException(file + ": normalizer.type is '" + type + "'; only BertNormalizer is supported");
        JsonNode strip = n.path("strip_accents");
        Settings json = new Settings(n.path("lowercase").asBoolean(true), strip.isBoolean() ? strip.asBoolean() : null,
                n.path("handle_chinese_chars").asBoolean(true));
        Settings wanted = wanted(config);
        return (json.equals(wanted) ? json : wanted).resolved(n.path("clean_text").asBoolean(true));
    }

    /** lowercase, strip_accents (null: unset, following lowercase) and Chinese-character splitting, as written. */
    private record Settings(boolean lowercase, Boolean stripAccents, boolean chineseChars) {
        Normalization resolved(boolean cleanText) { return Normalization.of(cleanText, chineseChars, lowercase, stripAccents); }
    }

    /** BertTokenizer(Fast)'s do_lower_case, strip_accents, tokenize_chinese_chars: tokenizer_config.json's, else True, unset, True. */
    private static Settings wanted(JsonNode config) {
        JsonNode c = config == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : config;
        JsonNode strip = c.path("strip_accents");
        return new Settings(c.path("do_lower_case").asBoolean(true), strip.isBoolean() ? strip.asBoolean() : null,
                c.path("tokenize_chinese_chars").asBoolean(true));
    }

    private static void checkPreTokenizer(Path file, JsonNode p) throws IOException {
        String type = p.path("type").asText("");
        if (!type.equals("BertPreTokenizer"))
            throw new IOException(file + ": pre_tokenizer.type is '" + type + "'; only BertPreTokenizer (whitespace and punctuation) is supported");
    }

    /** BERT's five special tokens may be listed as added tokens; anything else would be matched whole and is not supported. */
    private static void checkAddedTokens(Path file, JsonNode added) throws IOException {
        List<String> others = new ArrayList<>();
        for (JsonNode t : added) {
            String content = t.path("content").asText("");
            if (!BertTokenizer.SPECIALS.contains(content)) others.add(content);
        }
        if (!others.isEmpty())
            throw new IOException(file + ": added_tokens beyond BERT's five special tokens are not supported: " + others);
    }
}

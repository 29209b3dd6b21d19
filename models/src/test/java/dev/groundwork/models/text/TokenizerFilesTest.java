package dev.groundwork.models.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hugging Face tokenizer files: what is honoured (normaliser, vocabulary), what is ignored (truncation, padding), what is refused. */
class TokenizerFilesTest {
    static Path cased() {
        try {
            return Path.of(TokenizerFilesTest.class.getResource("/hf/bert-tiny-cased/tokenizer.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path withJson(Path tmp, String from, String to) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("t" + Math.abs((from + to).hashCode())));
        Files.writeString(dir.resolve("tokenizer.json"), Files.readString(cased().resolve("tokenizer.json")).replace(from, to));
        return dir;
    }

    @Test
    void theFastTokenizersVocabularyAndNormaliserAreReadAsTheyAre(@TempDir Path tmp) throws IOException {
        // tokenizer_config.json absent on purpose: set do_lower_case false through it to keep the json's lowercase=false.
        Path dir = withJson(tmp, "x", "x");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false}");
        BertTokenizer t = TokenizerFiles.load(dir);
        assertEquals(Normalization.CASED, t.normalization());
        assertEquals(List.of("Paris", "is", "un", "##able", "R", "##o", "##m", "##e", "[UNK]"), t.tokenize("Paris is unable Rome Ωx"));
        // Its truncation and padding (16 slots) are ignored: encode() pads to what the caller asks.
        assertEquals(20, t.encode("Paris", 20).ids().length);
        assertEquals(3, t.vocab().clsId());
    }

    @Test
    void chineseCharacterSplittingAndAccentsFollowTheSettings(@TempDir Path tmp) throws IOException {
        Path dir = withJson(tmp, "\"handle_chinese_chars\": true", "\"handle_chinese_chars\": false");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false, \"tokenize_chinese_chars\": false}");
        BertTokenizer t = TokenizerFiles.load(dir);
        assertFalse(t.normalization().chineseChars());
        assertEquals(List.of("[UNK]"), t.tokenize("日本"));                 // one word, not two ideographs
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": true}");
        assertEquals(List.of("zebra", "cafe", "日", "本"), TokenizerFiles.load(dir).tokenize("Zebra CAFÉ 日本"));
    }

    @Test
    void aVocabTxtAloneIsBertTokenizersDefaults(@TempDir Path tmp) throws IOException {
        Files.copy(cased().resolve("../bert-tiny-uncased/vocab.txt").normalize(), tmp.resolve("vocab.txt"));
        assertEquals(Normalization.UNCASED, TokenizerFiles.load(tmp).normalization());
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"do_lower_case\": false}");
        assertEquals(Normalization.CASED, TokenizerFiles.load(tmp).normalization());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "\"type\": \"WordPiece\", \"unk_token\"|\"type\": \"BPE\", \"unk_token\"|model.type is 'BPE'",
            "{\"type\": \"BertNormalizer\"|{\"type\": \"Sequence\"|normalizer.type is 'Sequence'",
            "{\"type\": \"BertPreTokenizer\"}|{\"type\": \"Whitespace\"}|pre_tokenizer.type is 'Whitespace'",
            "\"continuing_subword_prefix\": \"##\"|\"continuing_subword_prefix\": \"@@\"|continuing_subword_prefix",
            "\"content\": \"[MASK]\"|\"content\": \"<extra>\"|added_tokens beyond",
            "\"Paris\": 31|\"Paris\": 3|gives the id 3 to both",
            "\"Paris\": 31|\"Paris\": 9999|outside 0.."})
    void anythingButBertsTokenizerIsRefused(String from, String to, String rule, @TempDir Path tmp) throws IOException {
        Path dir = withJson(tmp, from, to);
        assertTrue(Files.readString(dir.resolve("tokenizer.json")).contains(to), "fixture edit did not apply: " + from);
        IOException e = assertThrows(IOException.class, () -> TokenizerFiles.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains(rule), e.getMessage());
    }
}

package dev.groundwork.models.language;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertModel;
import dev.groundwork.models.checkpoint.CheckpointException;
import dev.groundwork.models.checkpoint.LoadReport;
import dev.groundwork.models.checkpoint.WeightLoader;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.text.TokenizerFiles;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.vgbert.VgBertConfig;
import dev.groundwork.models.vgbert.recipe.Demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one call that turns a model, as its user has it, into a {@link LanguageModel}:
 * <ul>
 *   <li>a Hugging Face BERT folder: {@code config.json}, {@code model.safetensors} or
 *       {@code pytorch_model.bin}, {@code tokenizer.json} and/or {@code vocab.txt} ({@link TokenizerFiles});
 *       pretraining or task heads are dropped, a missing pooler means a model without one;</li>
 *   <li>a VG-BERT checkpoint of any stage or of the transfer model (ours or the original's
 *       {@code .pth}, any {@code module.} wrapping): its {@code language_model.language_model}; a Groundwork
 *       run folder means its {@code best.safetensors};</li>
 *   <li>InterBERT (a folder whose config.json has its {@code t_num_hidden_layers}, or a checkpoint with such
 *       a config beside it): the text embeddings and all text-config layers, single-stream then text-only;</li>
 *   <li>{@code untrained:demo[:SEED]}: the demo's stage-2 language stream as seed SEED (default 0, the
 *       demo's) initialises it, the starting point the demo's checkpoints were trained from.</li>
 * </ul>
 * Weights always go through {@link WeightLoader}, strictly: a name left unplaced or unfilled inside the
 * BERT is an error listing them all. A checkpoint without a config.json beside it has its sizes read
 * off its tensors ({@link BertTensors#inferConfig}); one without a tokenizer beside it uses
 * {@code fallbackVocab} (bert-base-uncased, as VG-BERT trains with).
 */
public final class LanguageModels {
    public static final String UNTRAINED = "untrained:";
    static final String CONFIG = "config.json", SAFETENSORS = "model.safetensors", PYTORCH = "pytorch_model.bin";

    private LanguageModels() {}

    /** {@code source} is a folder, a checkpoint file or {@code untrained:demo[:SEED]}. */
    public static LanguageModel open(String source, Path fallbackVocab) throws IOException {
        if (source.startsWith(UNTRAINED)) return untrained(source, fallbackVocab);
        Path p = Path.of(source);
        if (Files.isDirectory(p)) return folder(p, fallbackVocab);
        if (Files.isRegularFile(p)) return file(p, p.toAbsolutePath().getParent(), fallbackVocab);
        throw new CheckpointException(p, "no such file or folder");
    }

    private static LanguageModel folder(Path dir, Path fallbackVocab) throws IOException {
        Path config = dir.resolve(CONFIG);
        if (!Files.isRegularFile(config)) {
            Path best = dir.resolve(Trainer.BEST);
            if (Files.isRegularFile(best)) return file(best, dir, fallbackVocab);
            throw new CheckpointException(dir, "a model folder needs a " + CONFIG + " (Hugging Face) or a " + Trainer.BEST + " (a Groundwork run)");
        }
        for (String sharded : List.of(SAFETENSORS + ".index.json", PYTORCH + ".index.json"))
            if (Files.isRegularFile(dir.resolve(sharded)))
                throw new CheckpointException(dir.resolve(sharded), "sharded checkpoints are not supported; merge the shards into one " + SAFETENSORS);
        Path weights = Files.isRegularFile(dir.resolve(SAFETENSORS)) ? dir.resolve(SAFETENSORS)
                : Files.isRegularFile(dir.resolve(PYTORCH)) ? dir.resolve(PYTORCH) : null;
        if (weights == null) throw new CheckpointException(dir, "holds " + CONFIG + " but neither " + SAFETENSORS + " nor " + PYTORCH);
        return file(weights, dir, fallbackVocab);
    }

    /** A checkpoint file; {@code beside} may hold its config.json and tokenizer. */
    private static LanguageModel file(Path weights, Path beside, Path fallbackVocab) throws IOException {
        Map<String, Tensor> all = WeightLoader.read(weights);
        BertTensors bert = BertTensors.find(all, weights);
        Path configFile = beside.resolve(CONFIG);
        JsonNode json = Files.isRegularFile(configFile) ? readConfig(configFile) : null;
        boolean interbert = json != null ? json.has("t_num_hidden_layers") : bert.dropped().containsKey("bert.v_embeddings");
        if (interbert && json == null)
            throw new CheckpointException(weights, "an InterBERT checkpoint needs its config.json (bert_base_6layer_interbert.json) beside it, named " + CONFIG);
        BertConfig config;
        try {
            config = json == null ? bert.inferConfig(weights) : interbert ? InterBertConfig.fromJson(json).textConfig() : huggingFace(json, configFile);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(configFile, e.getMessage());
        }
        boolean vgbert = bert.prefix().contains("language_model.language_model.");
        LanguageModel.Origin origin = interbert ? LanguageModel.Origin.INTERBERT : vgbert ? LanguageModel.Origin.VG_BERT : LanguageModel.Origin.BERT;

        BertModel model = new BertModel(config, bert.hasPooler(), new Generator(0));
        LoadReport report = WeightLoader.load(model, bert.kept(), true);
        List<String> notes = new ArrayList<>(report.notes());
        if (bert.droppedNote() != null) notes.add(bert.droppedNote());
        if (json == null) notes.add("no " + CONFIG + " beside it: sizes read off the tensors (" + sizes(config) + ")");
        if (!bert.hasPooler()) notes.add("no pooler in the checkpoint: the model has none");
        report = new LoadReport(report.target(), report.loaded(), report.missing(), report.fresh(), report.unexpected(), report.mismatched(), report.dropped(), notes);

        String tokenizerFrom;
        BertTokenizer tokenizer;
        if (TokenizerFiles.present(beside)) {
            tokenizer = TokenizerFiles.load(beside);
            tokenizerFrom = "tokenizer of " + beside;
        } else {
            if (fallbackVocab == null || !Files.isRegularFile(fallbackVocab))
                throw new CheckpointException(weights, "no tokenizer beside it and no vocabulary to fall back on (--vocab " + fallbackVocab + ")");
            tokenizer = BertTokenizer.load(fallbackVocab);
            tokenizerFrom = "vocabulary " + fallbackVocab;
        }
        if (tokenizer.vocab().size() > config.vocabSize())
            throw new CheckpointException(weights, "its tokenizer has " + tokenizer.vocab().size() + " tokens but the model's embedding table only "
                    + config.vocabSize() + " rows (" + tokenizerFrom + ")");
        model.eval();
        int slots = vgbert && config.hiddenSize() == VgBertConfig.demo().dim() ? VgBertConfig.demo().phraseSlots() : VgBertConfig.paper().phraseSlots();
        String what = switch (origin) {
            case VG_BERT -> "VG-BERT language stream of " + weights;
            case INTERBERT -> "InterBERT text stream of " + weights;
            default -> "BERT " + weights;
        };
        return new LanguageModel(model, tokenizer, origin, vgbert ? 1 : 0, slots,
                what + " (" + sizes(config) + "; " + tokenizer.normalization() + ", " + tokenizerFrom + ")", report);
    }

    /** A Hugging Face config.json of a plain BERT encoder; other model types and decoder variants are refused. */
    private static BertConfig huggingFace(JsonNode json, Path file) throws CheckpointException {
        String type = json.path("model_type").asText("bert");
        if (!type.equals("bert")) throw new CheckpointException(file, "model_type '" + type + "' is not BERT");
        String position = json.path("position_embedding_type").asText("absolute");
        if (!position.equals("absolute")) throw new CheckpointException(file, "position_embedding_type '" + position + "' is not supported (only absolute)");
        if (json.path("is_decoder").asBoolean(false) || json.path("add_cross_attention").asBoolean(false))
            throw new CheckpointException(file, "a BERT decoder (is_decoder / add_cross_attention) is not supported");
        return BertConfig.fromJson(json);
    }

    private static JsonNode readConfig(Path file) throws IOException {
        if (Files.size(file) > 1 << 20) throw new CheckpointException(file, "over 1 MiB; not a model config");
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            if (!n.isObject()) throw new CheckpointException(file, "is not a JSON object");
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CheckpointException(file, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code untrained:demo[:SEED]}: the only untrained network with a meaning here is the demo's starting point. */
    private static LanguageModel untrained(String source, Path fallbackVocab) throws IOException {
        String[] parts = source.substring(UNTRAINED.length()).split(":", -1);
        if (!parts[0].equals("demo") || parts.length > 2)
            throw new IllegalArgumentException("'" + source + "': expected untrained:demo or untrained:demo:SEED");
        long seed;
        try {
            seed = parts.length == 2 ? Long.parseLong(parts[1]) : 0;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + source + "': the seed must be an integer, got '" + parts[1] + "'");
        }
        if (fallbackVocab == null || !Files.isRegularFile(fallbackVocab))
            throw new IOException(source + ": needs the bert-base-uncased vocabulary (--vocab " + fallbackVocab + ")");
        BertModel bert = Demo.untrained(seed).languageModel().bert();
        bert.eval();
        LoadReport none = new LoadReport(bert.getClass().getSimpleName(), Map.of(), List.of(), Map.of(), Map.of(), List.of(), Map.of(),
                List.of("no weights loaded: the demo's stage-2 initialisation at seed " + seed));
        return new LanguageModel(bert, BertTokenizer.load(fallbackVocab), LanguageModel.Origin.UNTRAINED, 1, VgBertConfig.demo().phraseSlots(),
                "untrained demo language stream, seed " + seed + " (" + sizes(bert.config()) + "; vocabulary " + fallbackVocab + ")", none);
    }

    static String sizes(BertConfig c) {
        return c.numHiddenLayers() + " layers, " + c.hiddenSize() + " wide, " + c.numAttentionHeads() + " heads, vocabulary " + c.vocabSize();
    }
}

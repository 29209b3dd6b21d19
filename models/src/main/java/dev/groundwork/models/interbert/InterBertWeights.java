package dev.groundwork.models.interbert;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.checkpoint.CheckpointException;
import dev.groundwork.models.checkpoint.CheckpointNames;
import dev.groundwork.models.checkpoint.InterBertNames;
import dev.groundwork.models.checkpoint.LoadExpectations;
import dev.groundwork.models.checkpoint.LoadReport;
import dev.groundwork.models.checkpoint.ModelFolder;
import dev.groundwork.models.checkpoint.WeightLoadException;
import dev.groundwork.models.checkpoint.WeightLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ways weights get into InterBERT's networks (spec 1.6), each through the one {@link WeightLoader}
 * and its restricted unpickler; the returned {@link LoadReport} is for the caller to print
 * ({@link LoadReport#summary}). A path may be a weight file or a folder holding one ({@link ModelFolder}).
 * <ul>
 *   <li>{@link #fromBert}: pretraining starts from a bert-base {@code BertForPreTraining} checkpoint. Its
 *       embeddings, its layers 0-11 (0-5 become the single-stream layers, 6-11 the text-only ones: the
 *       original's text stack continues BERT's numbering, so the names land as they are) and its MLM
 *       head load; InterBERT's own parts stay fresh; BERT's pooler and NSP head are discarded. A folder's
 *       {@code config.json} is checked against the model first: a head count differs invisibly in the weights.</li>
 *   <li>{@link #load}: the original's {@code pytorch_model_N.bin} and {@code pytorch_model_N_ema.bin}, with
 *       or without DataParallel's {@code module.}, strictly by default. A checkpoint of the other network
 *       (a fine-tuned one into pretraining) fails naming what is missing and unexpected, and which network
 *       the file holds.</li>
 *   <li>{@link #fineTuneFrom}: fine-tuning starts from a pretraining checkpoint; only the four VL heads are fresh.</li>
 * </ul>
 * {@code cls.predictions.decoder.weight}: the original's files carry it (torch saves the tied tensor under
 * both names; the EMA files hold an identical copy), converted safetensors may not. Both load. Present, it
 * must hold the word embeddings' values, as every file saved from the tied network does: one tensor cannot
 * take two values, so a file where they differ is refused rather than one of them silently chosen.
 */
public final class InterBertWeights {
    private InterBertWeights() {}

    /** A config.json larger than this is not a BERT config (bert-base's is under 1 KB). */
    static final long MAX_CONFIG_BYTES = 1 << 20;

    /** bert-base into the pretraining network (spec 1.6); strict beyond the expected fresh and discarded parts. */
    public static LoadReport fromBert(InterBertForMultiModalPreTraining model, Path path) throws IOException {
        return fromBert(model, model.config(), false, path);
    }

    /** bert-base straight into the fine-tuning network (a no-pretraining baseline): the VL heads are fresh too. */
    public static LoadReport fromBert(InterBertForVLTasks model, Path path) throws IOException {
        return fromBert(model, model.bert().config(), true, path);
    }

    /** An original InterBERT pretraining checkpoint; strict: every name must line up. */
    public static LoadReport load(InterBertForMultiModalPreTraining model, Path path, boolean strict) throws IOException {
        return load(model, model.config().vocabSize(), path, LoadExpectations.NONE, strict);
    }

    /** An original InterBERT fine-tuned checkpoint (raw or EMA); strict: every name must line up. */
    public static LoadReport load(InterBertForVLTasks model, Path path, boolean strict) throws IOException {
        return load(model, model.bert().config().vocabSize(), path, LoadExpectations.NONE, strict);
    }

    /** A pretraining (or fine-tuned) InterBERT checkpoint into the fine-tuning network: only the VL heads may be fresh. */
    public static LoadReport fineTuneFrom(InterBertForVLTasks model, Path path) throws IOException {
        return load(model, model.bert().config().vocabSize(), path, InterBertNames.fineTuning(), true);
    }

    private static LoadReport fromBert(Module model, InterBertConfig config, boolean vlTasks, Path path) throws IOException {
        ModelFolder where = ModelFolder.of(path);
        if (where.config() != null) checkBertConfig(where.config(), config);
        Map<String, Tensor> checkpoint = WeightLoader.read(where.weights());
        InterBertNames.Family family = InterBertNames.family(checkpoint.keySet());
        if (family != InterBertNames.Family.BERT)
            throw new CheckpointException(where.weights(), family == InterBertNames.Family.INTERBERT
                    ? "an InterBERT checkpoint, not BERT: load it with InterBertWeights.load (or fineTuneFrom)"
                    : "not a BERT checkpoint: no embeddings.word_embeddings.weight beside encoder.layer.N names (with or without bert.)");
        checkVocabulary(where.weights(), checkpoint, config.vocabSize());
        boolean mlmHead = checkpoint.keySet().stream().anyMatch(n -> CheckpointNames.stripDataParallel(n).startsWith("cls.predictions."));
        try {
            return WeightLoader.load(model, checkpoint, InterBertNames.fromBert(mlmHead, vlTasks), true);
        } catch (WeightLoadException e) {
            throw e.in(where.weights());
        }
    }

    private static LoadReport load(Module model, int vocabSize, Path path, LoadExpectations expect, boolean strict) throws IOException {
        ModelFolder where = ModelFolder.of(path);
        Map<String, Tensor> checkpoint = WeightLoader.read(where.weights());
        // Only for InterBERT files: a file of another network is named as such by the loader's failure below.
        if (InterBertNames.family(checkpoint.keySet()) == InterBertNames.Family.INTERBERT) checkVocabulary(where.weights(), checkpoint, vocabSize);
        try {
            return WeightLoader.load(model, checkpoint, expect, strict);
        } catch (WeightLoadException e) {
            throw new WeightLoadException(where.weights() + ": " + whatTheFileIs(checkpoint, model) + e.getMessage(), e.report());
        }
    }

    /**
     * The file's word-embedding rows against the model's vocabulary, so that a vocab file of another size is
     * named as that (issue 17 §4) rather than as a shape mismatch of one tensor among hundreds.
     */
    static void checkVocabulary(Path file, Map<String, Tensor> checkpoint, int vocabSize) throws CheckpointException {
        for (var e : checkpoint.entrySet()) {
            int[] shape = e.getValue().shape();
            if (CheckpointNames.stripDataParallel(e.getKey()).endsWith(WORD_EMBEDDINGS) && shape.length == 2 && shape[0] != vocabSize)
                throw new CheckpointException(file, "its word embeddings have " + shape[0] + " rows but the vocabulary has " + vocabSize
                        + " tokens: a mismatched vocabulary (give the vocab file the checkpoint was trained with)");
        }
    }

    private static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";

    /** A clause naming the network the file holds where it is not the model's, with the way to load it; "" otherwise. */
    static String whatTheFileIs(Map<String, Tensor> checkpoint, Module model) {
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        checkpoint.forEach((n, t) -> shapes.put(n, t.shape()));
        InterBertNames.Recognised r = InterBertNames.recognise(shapes);
        String target = model.getClass().getSimpleName();
        if (r == null) return vgBert(checkpoint.keySet())
                ? "the file holds VG-BERT (image_model.*, language_model.*), not InterBERT: InterBERT starts from BERT or its own pretraining; "
                : "the file is neither an InterBERT nor a BERT checkpoint; ";
        if (r.family() == InterBertNames.Family.BERT)
            return "the file holds BERT (" + r.model() + "), not InterBERT: start from it with InterBertWeights.fromBert; ";
        if (r.model().equals(target)) return "";
        String hint = r.model().equals("InterBertForMultiModalPreTraining") && model instanceof InterBertForVLTasks
                ? " (fine-tune from it with InterBertWeights.fineTuneFrom)" : "";
        return "the file holds " + r.model() + ", the model is " + target + hint + "; ";
    }

    /** VG-BERT's own names ({@code image_model.*}, {@code language_model.*}), with or without DataParallel's prefix. */
    private static boolean vgBert(java.util.Collection<String> names) {
        return names.stream().map(CheckpointNames::stripDataParallel).anyMatch(n -> n.startsWith("image_model.") || n.startsWith("language_model."));
    }

    /** The BERT's config.json against the InterBERT text stack it is to fill; every difference named at once. */
    static void checkBertConfig(Path file, InterBertConfig c) throws IOException {
        if (Files.size(file) > MAX_CONFIG_BYTES)
            throw new CheckpointException(file, "is " + Files.size(file) + " bytes, too large for a BERT config (limit " + MAX_CONFIG_BYTES + ")");
        BertConfig b;
        try {
            b = BertConfig.fromJson(file);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new CheckpointException(file, "not a usable BERT config: " + e.getMessage(), e);
        }
        List<String> diffs = new ArrayList<>();
        differ(diffs, "vocab_size", b.vocabSize(), c.vocabSize(), "");
        differ(diffs, "hidden_size", b.hiddenSize(), c.hiddenSize(), "");
        differ(diffs, "num_hidden_layers", b.numHiddenLayers(), c.numHiddenLayers() + c.tNumHiddenLayers(),
                " (" + c.numHiddenLayers() + " single-stream + " + c.tNumHiddenLayers() + " text-only layers)");
        differ(diffs, "num_attention_heads", b.numAttentionHeads(), c.numAttentionHeads(), "");
        differ(diffs, "intermediate_size", b.intermediateSize(), c.intermediateSize(), "");
        differ(diffs, "max_position_embeddings", b.maxPositionEmbeddings(), c.maxPositionEmbeddings(), "");
        differ(diffs, "type_vocab_size", b.typeVocabSize(), c.typeVocabSize(), "");
        if (!diffs.isEmpty())
            throw new CheckpointException(file, "this BERT does not fit the InterBERT model: " + String.join("; ", diffs));
    }

    private static void differ(List<String> diffs, String field, int bert, int interbert, String why) {
        if (bert != interbert) diffs.add(field + " " + bert + ", InterBERT's text stack has " + interbert + why);
    }
}

package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.bert.BertModel;
import dev.groundwork.models.checkpoint.CheckpointException;
import dev.groundwork.models.checkpoint.CheckpointNames;
import dev.groundwork.models.checkpoint.LoadExpectations;
import dev.groundwork.models.checkpoint.LoadReport;
import dev.groundwork.models.checkpoint.WeightLoadException;
import dev.groundwork.models.checkpoint.WeightLoader;
import dev.groundwork.models.language.LanguageModel;
import dev.groundwork.models.language.LanguageModels;
import dev.groundwork.models.text.Vocab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's starting point (§1.1, §2.1): the ImageNet VGG16 of torchvision under the visual stream and
 * bert-base-uncased as the language stream. Both go through the one loader, strictly: every conv of
 * the backbone and every tensor of BERT must load, and what stays fresh or is dropped is named with its
 * reason. The original (`--pretrained-vgg`) calls torchvision's download; here the user gives the file
 * ({@code vgg16-397923af.pth} as torchvision saves it, legacy or zip, or a converted safetensors), and
 * the BERT comes from a Hugging Face folder through {@link LanguageModels#open}.
 */
public final class PretrainedWeights {
    /** {@code --bert none}: the language stream keeps its random initialisation, asked for explicitly. */
    public static final String NO_BERT = "none";

    private PretrainedWeights() {}

    /**
     * torchvision's VGG16 {@code features.N.*} into {@code visual}'s {@code image_model.N.*} (a stage-1
     * classifier model or the stage-2 visual stream). Every other part of {@code visual} stays at its
     * initialisation (the embedder, the spatial attention and a stage-1 head: spec §1.6 trains them);
     * torchvision's ImageNet classifier is dropped. A file without VGG features, or of another
     * configuration than the model's, is a {@link WeightLoadException} naming the file and what it holds.
     */
    public static LoadReport loadVgg(Module visual, Path file) throws IOException {
        Map<String, Tensor> all = WeightLoader.read(file);
        LinkedHashMap<String, Tensor> features = new LinkedHashMap<>();
        List<String> classifier = new ArrayList<>();
        all.forEach((n, t) -> {
            String bare = CheckpointNames.stripDataParallel(n);
            if (bare.startsWith("classifier.")) classifier.add(n);
            else features.put(n, t);
        });
        if (features.keySet().stream().noneMatch(n -> CheckpointNames.isVggFeature(CheckpointNames.stripDataParallel(n))))
            throw new CheckpointException(file, "is not a torchvision VGG16 state dict: no features.N.weight among its "
                    + all.size() + " tensors (e.g. " + all.keySet().stream().limit(3).toList() + ")");
        Map<String, String> fresh = new LinkedHashMap<>();
        for (String child : visual.namedChildren().keySet())
            if (!child.equals("image_model")) fresh.put(child, "not part of torchvision's VGG16; trained from its initialisation (spec 1.6)");
        try {
            LoadReport r = WeightLoader.load(visual, features, new LoadExpectations(fresh, Map.of()), true);
            if (classifier.isEmpty()) return r;
            Map<String, String> dropped = new LinkedHashMap<>(r.dropped());
            for (String n : classifier) dropped.put(n, "torchvision's ImageNet classifier, which VG-BERT does not use");
            return new LoadReport(r.target(), r.loaded(), r.missing(), r.fresh(), r.unexpected(), r.mismatched(), dropped, r.notes());
        } catch (WeightLoadException e) {
            throw new WeightLoadException(file + ": not the VGG16 this model's visual stream has (a torchvision vgg16, configuration D, "
                    + "fits only the paper preset): " + e.getMessage(), e.report());
        }
    }

    /**
     * A Hugging Face BERT folder (or any source {@link LanguageModels#open} reads) into {@code target},
     * the language stream's {@code BertModel}. The sizes must be the preset's, and the folder's
     * tokenizer must be the vocabulary the data is tokenised with ({@code vocab}), or ids would point
     * at other words' embeddings. A checkpoint without a pooler leaves the (unused, §2.1) pooler fresh.
     */
    public static LoadReport loadBert(BertModel target, String source, Path vocab) throws IOException {
        LanguageModel lm = LanguageModels.open(source, vocab);
        BertConfig have = lm.bert().config(), want = target.config();
        if (have.numHiddenLayers() != want.numHiddenLayers() || have.hiddenSize() != want.hiddenSize()
                || have.numAttentionHeads() != want.numAttentionHeads() || have.intermediateSize() != want.intermediateSize()
                || have.vocabSize() != want.vocabSize())
            throw new CheckpointException(Path.of(source), "holds a BERT of " + sizes(have) + ", but this preset's language stream is "
                    + sizes(want) + " (bert-base-uncased fits the paper preset; the demo preset trains its own with --bert none)");
        sameVocab(lm.tokenizer().vocab(), vocab, source);
        Map<String, String> fresh = lm.bert().hasPooler() || !target.hasPooler() ? Map.of()
                : Map.of("pooler", "the checkpoint has no pooler; VG-BERT never uses it (spec 2.1)");
        LoadReport r = WeightLoader.load(target, lm.bert().stateDict(), new LoadExpectations(fresh, Map.of()), true);
        List<String> notes = new ArrayList<>(lm.report().notes());
        notes.add("from " + lm.description());
        notes.addAll(r.notes());
        return new LoadReport(r.target(), r.loaded(), r.missing(), r.fresh(), r.unexpected(), r.mismatched(), lm.report().dropped(), notes);
    }

    /** The folder's tokenizer against the run's vocabulary, token by token. */
    private static void sameVocab(Vocab folder, Path vocab, String source) throws IOException {
        Vocab run = Vocab.load(vocab);
        String differs = null;
        if (folder.size() != run.size()) differs = folder.size() + " tokens against " + run.size();
        else for (int i = 0; i < run.size() && differs == null; i++)
            if (!folder.token(i).equals(run.token(i))) differs = "token " + i + " is '" + folder.token(i) + "' there and '" + run.token(i) + "' here";
        if (differs != null)
            throw new CheckpointException(Path.of(source), "its tokenizer is not the vocabulary the data is tokenised with (--vocab " + vocab
                    + "): " + differs + "; pass --vocab " + Path.of(source).resolve("vocab.txt"));
    }

    private static String sizes(BertConfig c) {
        return c.numHiddenLayers() + " layers, " + c.hiddenSize() + " wide, " + c.numAttentionHeads() + " heads, FFN "
                + c.intermediateSize() + ", vocabulary " + c.vocabSize();
    }
}

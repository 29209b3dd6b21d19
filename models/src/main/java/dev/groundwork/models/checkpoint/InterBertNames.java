package dev.groundwork.models.checkpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original InterBERT's checkpoint names (spec 1.5-1.6), and the BERT names it starts from: which
 * file is which network and which heads it carries ({@link #recognise}, for {@code gw inspect} and the
 * loaders' error messages), and what a bert-base {@code BertForPreTraining} file gives InterBERT. The
 * original's text stack continues BERT's numbering (single-stream {@code bert.encoder.layer.0-5}, then
 * text-only {@code 6-11}), so BERT's names land as they are; InterBERT's own parts stay fresh, BERT's
 * pooler and next-sentence head are discarded. Names only: the networks live in {@code models.interbert}.
 */
public final class InterBertNames {
    private InterBertNames() {}

    /** What a checkpoint holds, as far as these names tell. */
    public enum Family { BERT, INTERBERT }

    /** InterBERT's parts BERT has no weights for. */
    public static final List<String> NOT_IN_BERT = List.of("bert.v_embeddings", "bert.encoder.v_layer", "bert.t_pooler",
            "bert.v_pooler", "cls.bi_seq_relationship", "cls.imagePredictions");
    /** The fine-tuning heads of InterBertForVLTasks (spec 1.5), under the original's spelling ({@code linguisic}). */
    public static final List<String> VL_HEADS = List.of("vil_prediction", "vil_logit", "vision_logit", "linguisic_logit");
    /** The MLM head's own tensors (its decoder is the word embedding table). */
    public static final List<String> MLM_HEAD = List.of("cls.predictions.transform", "cls.predictions.bias");

    static final String FRESH_INIT = "random init N(0, initializer_range), biases 0, LayerNorm (1, 0): spec 1.6";

    /** BERT's parts with no place in InterBERT, each with why (spec 1.5-1.6). */
    public static final Map<String, String> DISCARDED_FROM_BERT = discardedFromBert();

    private static Map<String, String> discardedFromBert() {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("bert.pooler", "BERT's tanh pooler: InterBERT pools with its own ReLU t_pooler and v_pooler (spec 1.5)");
        m.put("cls.seq_relationship", "BERT's next-sentence head: InterBERT's ITM head cls.bi_seq_relationship reads the fused pooled vectors (spec 1.5)");
        // transformers 4.x ties a decoder bias to cls.predictions.bias and may save both names.
        m.put("cls.predictions.decoder.bias", "newer transformers' second name for cls.predictions.bias, which is loaded");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * A bert-base file into an InterBERT network (spec 1.6): InterBERT's own parts fresh, BERT's pooler
     * and NSP head discarded. {@code mlmHead} false (a BertModel file, no {@code cls.*}): the MLM head's
     * transform and bias start fresh too, said so; its decoder is the word embeddings, loaded either way.
     * {@code vlTasks}: the fine-tuning heads are fresh as well.
     */
    public static LoadExpectations fromBert(boolean mlmHead, boolean vlTasks) {
        LinkedHashMap<String, String> fresh = new LinkedHashMap<>();
        for (String p : NOT_IN_BERT) fresh.put(p, "InterBERT's own, not in BERT; " + FRESH_INIT);
        if (!mlmHead) for (String p : MLM_HEAD) fresh.put(p, "the file has no MLM head (a BertModel checkpoint); " + FRESH_INIT);
        LoadExpectations e = new LoadExpectations(fresh, DISCARDED_FROM_BERT);
        return vlTasks ? e.and(fineTuning()) : e;
    }

    /** A pretraining checkpoint into InterBertForVLTasks: only the fine-tuning heads are fresh (spec 1.6). */
    public static LoadExpectations fineTuning() {
        LinkedHashMap<String, String> fresh = new LinkedHashMap<>();
        for (String p : VL_HEADS) fresh.put(p, "fine-tuning head, not in a pretraining checkpoint; " + FRESH_INIT);
        return new LoadExpectations(fresh, Map.of());
    }

    /**
     * A checkpoint seen through these names: its family, the network the original would build for it,
     * its text stack (single-stream then text-only: where it splits is the config's, 6 + 6 in the
     * original) and image stack depths, and its heads.
     */
    public record Recognised(Family family, String model, int textLayers, int imageLayers, List<String> heads) {
        public String describe() {
            return (family == Family.INTERBERT ? "InterBERT, " + model + ": text layers " + textLayers
                    + " (single-stream then text-only; the split is the config's), image layers " + imageLayers
                    : "BERT, " + model + ": layers " + textLayers) + "; heads: " + (heads.isEmpty() ? "none" : String.join(", ", heads));
        }
    }

    private static final Pattern LAYER = Pattern.compile("(?:bert\\.)?encoder\\.(layer|v_layer)\\.(\\d{1,9})\\..*");

    /** Which family a checkpoint's names belong to, or null when neither (DataParallel and gamma/beta spellings accepted). */
    public static Family family(Collection<String> names) {
        boolean words = false, layers = false;
        for (String raw : names) {
            String n = canonical(raw);
            for (String p : NOT_IN_BERT) if (LoadExpectations.under(n, p)) return Family.INTERBERT;
            words |= n.equals("bert.embeddings.word_embeddings.weight") || n.equals("embeddings.word_embeddings.weight");
            layers |= LAYER.matcher(n).matches();
        }
        return words && layers ? Family.BERT : null;
    }

    /** What {@code shapes} (names to shapes, as stored) hold, or null when neither BERT nor InterBERT. */
    public static Recognised recognise(Map<String, int[]> shapes) {
        Family family = family(shapes.keySet());
        if (family == null) return null;
        LinkedHashMap<String, int[]> c = new LinkedHashMap<>();
        shapes.forEach((n, s) -> c.put(canonical(n), s));
        TreeSet<Integer> text = new TreeSet<>(), image = new TreeSet<>();
        for (String n : c.keySet()) {
            Matcher m = LAYER.matcher(n);
            if (m.matches()) (m.group(1).equals("layer") ? text : image).add(Integer.parseInt(m.group(2)));
        }
        List<String> heads = new ArrayList<>();
        if (has(c, "cls.predictions"))
            heads.add("MLM" + rows(c, "cls.predictions.bias", " over ", " words") + " (cls.predictions, decoder "
                    + (c.containsKey("cls.predictions.decoder.weight") ? "stored" : "not stored: tied to the word embeddings") + ")");
        String model;
        if (family == Family.INTERBERT) {
            if (has(c, "cls.imagePredictions")) heads.add("region prediction" + rows(c, "cls.imagePredictions.decoder.weight", ", ", " outputs") + " (cls.imagePredictions)");
            if (has(c, "cls.bi_seq_relationship")) heads.add("image-text matching (cls.bi_seq_relationship)");
            List<String> vl = VL_HEADS.stream().filter(h -> has(c, h)).toList();
            if (!vl.isEmpty()) heads.add("fine-tuning: " + String.join(", ", vl) + rows(c, "vil_prediction.weight", " (", " labels)"));
            model = !vl.isEmpty() ? "InterBertForVLTasks" : has(c, "cls") ? "InterBertForMultiModalPreTraining" : "InterBertModel";
        } else {
            if (has(c, "cls.seq_relationship")) heads.add("next sentence (cls.seq_relationship)");
            if (has(c, "bert.pooler") || has(c, "pooler")) heads.add("tanh pooler (bert.pooler)");
            boolean mlm = has(c, "cls.predictions"), nsp = has(c, "cls.seq_relationship");
            model = mlm && nsp ? "BertForPreTraining" : mlm ? "BertForMaskedLM" : nsp ? "BertForNextSentencePrediction" : "BertModel";
        }
        return new Recognised(family, model, text.size(), image.size(), heads);
    }

    /** DataParallel prefixes gone, legacy LayerNorm names modern: how the loader reads a name first. */
    private static String canonical(String n) { return CheckpointNames.modernLayerNorm(CheckpointNames.stripDataParallel(n)); }

    private static boolean has(Map<String, int[]> c, String prefix) {
        for (String n : c.keySet()) if (LoadExpectations.under(n, prefix)) return true;
        return false;
    }

    /** "{before}{rows}{after}" from the first dimension of {@code name}, or "" when absent. */
    private static String rows(Map<String, int[]> c, String name, String before, String after) {
        int[] s = c.get(name);
        return s == null || s.length == 0 ? "" : before + s[0] + after;
    }
}

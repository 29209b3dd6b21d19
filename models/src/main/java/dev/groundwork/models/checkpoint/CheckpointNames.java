package dev.groundwork.models.checkpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spellings of tensor names found in the wild, and the rules that turn them into the names our
 * modules use: a DataParallel {@code module.} prefix, HF BERT's {@code bert.} prefix and legacy
 * {@code LayerNorm.gamma/beta}, torchvision VGG's {@code features.N}, the original InterBERT's names
 * and a BERT file's names as InterBERT reads them ({@link InterBertNames}). {@link WeightLoader} tries them
 * name by name against a module ({@link #spellings}); {@code gw convert --map} applies one scheme
 * without a module ({@link #apply}). Order is kept, and two source names landing on one target name
 * is an error, never a silent pick.
 */
public final class CheckpointNames {
    private CheckpointNames() {}

    /** A naming convention to translate from. */
    public enum Scheme {
        /** Names as they are. */
        NONE,
        /** VG-BERT's own checkpoints: DataParallel {@code module.} prefix stripped. */
        VGBERT,
        /** Hugging Face BERT: {@code bert.} prefix stripped, legacy LayerNorm gamma/beta renamed. */
        HF_BERT,
        /** torchvision VGG16: {@code features.N} becomes {@code image_model.N}, the classifier is dropped. */
        TORCHVISION_VGG16,
        /** The original InterBERT's checkpoints: already our names; DataParallel {@code module.} stripped, the file checked to be InterBERT. */
        INTERBERT,
        /**
         * A bert-base {@code BertForPreTraining} (or BertModel) file under the names InterBERT gives its
         * weights (spec 1.6): {@code bert.} kept or added, gamma/beta renamed, BERT's pooler and NSP head dropped.
         */
        BERT_TO_INTERBERT;

        /** Parses the CLI spelling: none, vgbert, hf-bert, torchvision-vgg16, interbert, bert-interbert. */
        public static Scheme parse(String s) {
            for (Scheme v : values()) if (v.cliName().equals(s.toLowerCase(Locale.ROOT))) return v;
            throw new IllegalArgumentException("unknown name map '" + s
                    + "' (expected none, vgbert, hf-bert, torchvision-vgg16, interbert or bert-interbert)");
        }

        /** Whether the scheme checks what the file is ({@link #refusal}) rather than that it renames something. */
        public boolean checksKind() { return this == INTERBERT || this == BERT_TO_INTERBERT; }

        public String cliName() {
            return switch (this) {
                case NONE -> "none";
                case VGBERT -> "vgbert";
                case HF_BERT -> "hf-bert";
                case TORCHVISION_VGG16 -> "torchvision-vgg16";
                case INTERBERT -> "interbert";
                case BERT_TO_INTERBERT -> "bert-interbert";
            };
        }
    }

    /** The renamed map and human-readable notes on anything dropped. */
    public record Mapped<T>(LinkedHashMap<String, T> entries, List<String> notes) {}

    private static final Pattern VGG_FEATURE = Pattern.compile("features\\.(\\d+)\\.(.+)");

    /**
     * Applies one scheme. Every scheme but NONE also strips a DataParallel {@code module.} prefix. The
     * renames are composed into one function over the original names, so a clash names the file's keys.
     */
    public static <T> Mapped<T> apply(Map<String, T> source, Scheme scheme) {
        List<String> notes = new ArrayList<>();
        if (scheme == Scheme.NONE) return new Mapped<>(new LinkedHashMap<>(source), notes);
        Function<String, String> strip = prefix("module.");
        Map<String, T> kept = source;
        Function<String, String> f = switch (scheme) {
            case HF_BERT -> strip.andThen(prefix("bert.")).andThen(CheckpointNames::modernLayerNorm);
            case TORCHVISION_VGG16 -> {
                kept = dropVggClassifier(source, strip, notes);
                yield strip.andThen(CheckpointNames::vggFeature);
            }
            case BERT_TO_INTERBERT -> {
                Function<String, String> g = strip.andThen(CheckpointNames::modernLayerNorm).andThen(CheckpointNames::underBert);
                kept = dropFromBert(source, g, notes);
                yield g;
            }
            // VGBERT: its BERT part uses HF names; INTERBERT: the original names are ours, DataParallel aside.
            default -> strip.andThen(CheckpointNames::modernLayerNorm);
        };
        return new Mapped<>(rename(kept, f), notes);
    }

    /**
     * Why {@code scheme} does not fit a file with these names, or null when it does: the InterBERT maps
     * take only their own kind of file, and the BERT and VG-BERT maps refuse an InterBERT file (they
     * would strip or keep names InterBERT needs as they are).
     */
    public static String refusal(Scheme scheme, Collection<String> names) {
        InterBertNames.Family f = InterBertNames.family(names);
        String is = f == InterBertNames.Family.INTERBERT ? "an InterBERT checkpoint (use --map interbert)"
                : f == InterBertNames.Family.BERT ? "a BERT checkpoint (use --map hf-bert, or --map bert-interbert for InterBERT's names)"
                : "neither BERT nor InterBERT";
        return switch (scheme) {
            case NONE -> null;
            case INTERBERT -> f == InterBertNames.Family.INTERBERT ? null : "--map interbert takes an original InterBERT checkpoint"
                    + " (bert.v_embeddings, bert.encoder.v_layer, cls.bi_seq_relationship, ...); this file is " + is;
            case BERT_TO_INTERBERT -> f == InterBertNames.Family.BERT ? null : "--map bert-interbert takes a BERT checkpoint"
                    + " (embeddings and encoder.layer.N, with or without bert.); this file is " + is;
            default -> f == InterBertNames.Family.INTERBERT ? "--map " + scheme.cliName() + " does not fit this file: it is " + is : null;
        };
    }

    /** Guesses the scheme from the names: VGG features, HF BERT spellings, else VG-BERT's own. */
    public static Scheme detect(Iterable<String> names) {
        boolean vgg = false, bert = false;
        for (String raw : names) {
            String n = raw.startsWith("module.") ? raw.substring(7) : raw;
            vgg |= n.startsWith("features.");
            bert |= n.startsWith("bert.") || n.endsWith("LayerNorm.gamma") || n.endsWith("LayerNorm.beta");
        }
        return vgg ? Scheme.TORCHVISION_VGG16 : bert ? Scheme.HF_BERT : Scheme.VGBERT;
    }

    /**
     * The spellings a loader tries, in order, for a name the module does not have as written: the
     * name itself; without DataParallel prefixes and with modern LayerNorm names; also without HF's
     * {@code bert.} prefix; also with torchvision's {@code features.N} as {@code image_model.N}.
     * Each step keeps the previous ones, so a name is read the least way that fits. Duplicates are left out.
     */
    public static List<String> spellings(String name) {
        String canonical = modernLayerNorm(stripDataParallel(name));
        String noBert = prefix("bert.").apply(canonical);
        return java.util.stream.Stream.of(name, canonical, noBert, vggFeature(noBert)).distinct().toList();
    }

    /** DataParallel wraps the whole model in {@code module.}; nested wrappers repeat it. */
    public static String stripDataParallel(String n) {
        while (n.startsWith("module.")) n = n.substring("module.".length());
        return n;
    }

    /** Removes {@code p} from a name that has it (DataParallel's {@code module.}, HF's {@code bert.}). */
    public static Function<String, String> prefix(String p) {
        return n -> n.startsWith(p) ? n.substring(p.length()) : n;
    }

    /** Old TF-ported BERT checkpoints call LayerNorm's weight and bias gamma and beta. */
    public static String modernLayerNorm(String n) {
        return n.endsWith("LayerNorm.gamma") ? n.substring(0, n.length() - 5) + "weight"
                : n.endsWith("LayerNorm.beta") ? n.substring(0, n.length() - 4) + "bias" : n;
    }

    /**
     * torchvision's {@code features.N.*} become VG-BERT's {@code image_model.N.*}: VG-BERT keeps
     * torchvision's layer numbering, whatever the configuration (VGG16's convolutions sit at 0..28).
     */
    public static String vggFeature(String n) {
        Matcher x = VGG_FEATURE.matcher(n);
        return x.matches() ? "image_model." + x.group(1) + "." + x.group(2) : n;
    }

    /** Whether a name is a torchvision VGG feature ({@code features.N.*}). */
    public static boolean isVggFeature(String n) { return VGG_FEATURE.matcher(n).matches(); }

    /** BertModel's own names ({@code embeddings.*}, {@code encoder.*}, {@code pooler.*}) as BertForPreTraining and InterBERT spell them. */
    static String underBert(String n) {
        return n.startsWith("embeddings.") || n.startsWith("encoder.") || n.startsWith("pooler.") ? "bert." + n : n;
    }

    /** BERT's parts with no place in InterBERT (and its position-id buffer, which InterBERT computes), dropped with a note each. */
    private static <T> Map<String, T> dropFromBert(Map<String, T> m, Function<String, String> rename, List<String> notes) {
        LinkedHashMap<String, T> kept = new LinkedHashMap<>();
        LinkedHashMap<String, List<String>> dropped = new LinkedHashMap<>();
        Map<String, String> rules = new LinkedHashMap<>(InterBertNames.DISCARDED_FROM_BERT);
        rules.put("bert.embeddings.position_ids", "a buffer InterBERT computes, not a weight");
        m.forEach((n, v) -> {
            String to = rename.apply(n), why = null;
            for (var r : rules.entrySet()) if (LoadExpectations.under(to, r.getKey())) why = r.getValue();
            if (why == null) kept.put(n, v);
            else dropped.computeIfAbsent(why, k -> new ArrayList<>()).add(n);
        });
        dropped.forEach((why, names) -> notes.add("dropped " + names.size() + " tensor(s), " + why + ": " + names));
        return kept;
    }

    /** torchvision's {@code classifier.*} has no counterpart in VG-BERT; dropped, with a note. */
    private static <T> Map<String, T> dropVggClassifier(Map<String, T> m, Function<String, String> strip, List<String> notes) {
        LinkedHashMap<String, T> kept = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        m.forEach((n, v) -> { if (strip.apply(n).startsWith("classifier.")) dropped.add(n); else kept.put(n, v); });
        if (!dropped.isEmpty()) notes.add("dropped " + dropped.size() + " VGG classifier tensor(s), which VG-BERT does not use: " + dropped);
        return kept;
    }

    /** Renames every key; two keys with one new name are the same tensor spelled twice, an error naming both. */
    public static <T> LinkedHashMap<String, T> rename(Map<String, T> m, Function<String, String> f) {
        LinkedHashMap<String, T> out = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            String to = f.apply(e.getKey());
            String prev = from.putIfAbsent(to, e.getKey());
            if (prev != null)
                throw new IllegalArgumentException("'" + prev + "' and '" + e.getKey() + "' both name the tensor '" + to + "'; the checkpoint holds it twice");
            out.put(to, e.getValue());
        }
        return out;
    }
}

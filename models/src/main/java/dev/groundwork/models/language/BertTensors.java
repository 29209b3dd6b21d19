package dev.groundwork.models.language;

import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.bert.BertConfig;
import dev.groundwork.models.checkpoint.CheckpointException;
import dev.groundwork.models.checkpoint.CheckpointNames;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BERT inside a checkpoint, whatever surrounds it: a Hugging Face model with its heads
 * ({@code cls.*}, {@code classifier.*}), a VG-BERT stage ({@code language_model.language_model.*} beside the
 * visual stream and heads) or InterBERT ({@code bert.*} beside its image stream, image layers and poolers).
 * It sits under the prefix of the one {@code embeddings.word_embeddings.weight}; what belongs to a BERT
 * under that prefix is kept under the checkpoint's own names (so {@code WeightLoader} reports them), and
 * everything else is listed by group as dropped, never loaded and never silent.
 */
record BertTensors(String prefix, Map<String, Tensor> kept, Map<String, Integer> dropped, boolean hasPooler, int layers) {
    private static final String WORDS = "embeddings.word_embeddings.weight";
    private static final Pattern PART = Pattern.compile(
            "embeddings\\.(word_embeddings|position_embeddings|token_type_embeddings)\\.weight|embeddings\\.LayerNorm\\.(weight|bias)"
                    + "|embeddings\\.position_ids|encoder\\.layer\\.(\\d+)\\..+|pooler\\.dense\\.(weight|bias)");

    static BertTensors find(Map<String, Tensor> all, Path file) throws CheckpointException {
        TreeSet<String> prefixes = new TreeSet<>();
        for (String n : all.keySet()) {
            String c = canonical(n);
            if (c.endsWith(WORDS)) prefixes.add(c.substring(0, c.length() - WORDS.length()));
        }
        if (prefixes.isEmpty()) throw new CheckpointException(file, "holds no BERT: no tensor named *" + WORDS);
        if (prefixes.size() > 1)
            throw new CheckpointException(file, "holds " + prefixes.size() + " BERTs (word embeddings under " + prefixes + "); which one is the language stream is ambiguous");
        String prefix = prefixes.first();
        Map<String, Tensor> kept = new LinkedHashMap<>();
        Map<String, Integer> dropped = new LinkedHashMap<>();
        boolean pooler = false;
        int layers = 0;
        for (var e : all.entrySet()) {
            String c = canonical(e.getKey());
            Matcher m = c.startsWith(prefix) ? PART.matcher(c.substring(prefix.length())) : null;
            if (m != null && m.matches()) {
                kept.put(e.getKey(), e.getValue());
                pooler |= c.endsWith("pooler.dense.weight");
                if (m.group(3) != null) layers = Math.max(layers, Integer.parseInt(m.group(3)) + 1);
            } else {
                dropped.merge(group(c, prefix), 1, Integer::sum);
            }
        }
        return new BertTensors(prefix, kept, dropped, pooler, layers);
    }

    /** DataParallel's {@code module.} and legacy {@code LayerNorm.gamma/beta} spelled away. */
    static String canonical(String n) { return CheckpointNames.modernLayerNorm(CheckpointNames.stripDataParallel(n)); }

    /** A dropped name's group for the report: its first component, or two under the BERT's own prefix. */
    private static String group(String c, String prefix) {
        String rest = c.startsWith(prefix) && !prefix.isEmpty() ? c.substring(prefix.length()) : c;
        String[] parts = rest.split("\\.");
        String g = parts.length > 2 && (parts[0].equals("encoder") || parts[0].equals("cls")) ? parts[0] + "." + parts[1] : parts[0];
        return (c.startsWith(prefix) ? prefix : "") + g;
    }

    /** The shape of one of the kept tensors by its name relative to the prefix, or null. */
    int[] shape(String relative) {
        for (var e : kept.entrySet()) if (canonical(e.getKey()).equals(prefix + relative)) return e.getValue().shape();
        return null;
    }

    /**
     * A config read off the tensors, for a checkpoint that comes without its config.json: vocabulary,
     * width, positions, token types, layers and FFN width are in the shapes. The number of heads is not:
     * it is taken from the known models of each width (768: bert-base and the VG-BERT paper, 12; 1024:
     * bert-large, 16; 64: the VG-BERT demo preset, 4) and refused for any other width.
     */
    BertConfig inferConfig(Path file) throws CheckpointException {
        int[] words = shape(WORDS), pos = shape("embeddings.position_embeddings.weight"), types = shape("embeddings.token_type_embeddings.weight");
        if (pos == null || types == null) throw new CheckpointException(file, "its BERT under '" + prefix + "' has no position or token-type embeddings");
        int hidden = words[1];
        int[] ffn = shape("encoder.layer.0.intermediate.dense.weight");
        int heads = switch (hidden) {
            case 768 -> 12;
            case 1024 -> 16;
            case 64 -> 4;
            default -> throw new CheckpointException(file, "a BERT " + hidden + " wide: its number of attention heads is not in its tensors; "
                    + "put the model's config.json beside the checkpoint");
        };
        BertConfig b = BertConfig.base();
        return new BertConfig(words[0], hidden, layers, heads, ffn == null ? 4 * hidden : ffn[0], "gelu", 0, 0, pos[0], types[0],
                b.initializerRange(), b.layerNormEps(), 0);
    }

    /** "dropped 142 tensors not in the language stream: image_model (120), cross_attention_model (22)" or null. */
    String droppedNote() {
        if (dropped.isEmpty()) return null;
        int n = dropped.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder sb = new StringBuilder("dropped " + n + " tensor(s) outside the language stream: ");
        dropped.forEach((g, c) -> sb.append(g).append(" (").append(c).append("), "));
        sb.setLength(sb.length() - 2);
        return sb.toString();
    }
}

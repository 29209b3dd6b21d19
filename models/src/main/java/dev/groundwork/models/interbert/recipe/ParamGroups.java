package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * InterBERT's BertAdam parameter groups. The original makes one group per tensor; tensors sharing an lr
 * and a decay are grouped here, which BertAdam treats identically (its state and schedule are per tensor).
 * <ul>
 *   <li>Pretraining: the BERT-initialised tensors, the text embeddings and {@code encoder.layer.*} (the
 *       single-stream and text-only layers, BERT's 12), get 0.1 × lr; everything else (image embeddings,
 *       image-only layers, poolers, every head, the BERT-initialised MLM transform included) the full lr.
 *       The original matches names after stripping a 12-character {@code module.bert.} prefix, so on one
 *       GPU nothing matches (spec 8.3); this is the intended behaviour the spec recommends.</li>
 *   <li>Fine-tuning: one lr for every tensor (spec 4.4).</li>
 *   <li>Weight decay by {@link WeightDecayRule}.</li>
 * </ul>
 */
public final class ParamGroups {
    /** The factor of spec 2.5 for BERT-initialised tensors. */
    public static final double BERT_LR_FACTOR = 0.1;

    private ParamGroups() {}

    /** Whether the pretraining lr rule treats {@code name} as BERT-initialised (spec 2.5, 8.3). */
    public static boolean bertInitialised(String name) {
        return name.startsWith("bert.embeddings.") || name.startsWith("bert.encoder.layer.");
    }

    public static List<ParamGroup> pretraining(Module model, double lr, double bertFactor, WeightDecayRule rule, double weightDecay) {
        return groups(model, lr, bertFactor, rule, weightDecay);
    }

    public static List<ParamGroup> fineTuning(Module model, double lr, WeightDecayRule rule, double weightDecay) {
        return groups(model, lr, 1, rule, weightDecay);
    }

    private static List<ParamGroup> groups(Module model, double lr, double bertFactor, WeightDecayRule rule, double weightDecay) {
        // Keyed by (BERT-initialised, decayed), in first-seen order so the optimizer's state order is stable.
        Map<String, List<Tensor>> byKey = new LinkedHashMap<>();
        Map<String, double[]> hyper = new LinkedHashMap<>();
        for (var e : model.namedTrainableParameters().entrySet()) {
            boolean bert = bertFactor != 1 && bertInitialised(e.getKey()), decay = rule.decays(e.getKey());
            String key = bert + "/" + decay;
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e.getValue());
            hyper.putIfAbsent(key, new double[]{bert ? lr * bertFactor : lr, decay ? weightDecay : 0});
        }
        List<ParamGroup> out = new ArrayList<>();
        byKey.forEach((k, params) -> out.add(ParamGroup.of(params).lr(hyper.get(k)[0]).weightDecay(hyper.get(k)[1])));
        return out;
    }
}

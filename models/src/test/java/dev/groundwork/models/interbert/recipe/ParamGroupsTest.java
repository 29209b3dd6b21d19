package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import org.junit.jupiter.api.Test;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Spec 2.5 and 8.1, 8.3: which tensors get 0.1 × lr and which get weight decay, tensor by tensor. */
class ParamGroupsTest {
    private final InterBertForMultiModalPreTraining model = new InterBertForMultiModalPreTraining(ModelSize.DEMO.config(null, 40, 6, 5, false), new Generator(1));

    private static Map<Tensor, double[]> byTensor(List<ParamGroup> groups) {
        Map<Tensor, double[]> m = new IdentityHashMap<>();
        for (ParamGroup g : groups) for (Tensor p : g.params()) m.put(p, new double[]{g.get(ParamGroup.LR), g.get(ParamGroup.WEIGHT_DECAY)});
        return m;
    }

    @Test
    void pretrainingGivesTheBertInitialisedTensorsATenthOfTheLrAndDecaysAsCoded() {
        Map<Tensor, double[]> m = byTensor(ParamGroups.pretraining(model, 1e-4, ParamGroups.BERT_LR_FACTOR, WeightDecayRule.AS_CODED, 0.01));
        int n = 0;
        for (var e : model.namedTrainableParameters().entrySet()) {
            String name = e.getKey();
            double[] h = m.get(e.getValue());
            boolean bert = name.startsWith("bert.embeddings.") || (name.startsWith("bert.encoder.layer.") && !name.startsWith("bert.encoder.v_layer."));
            assertEquals(bert ? 1e-5 : 1e-4, h[0], 1e-20, name);
            boolean noDecayListed = name.contains("bias") || name.contains("LayerNorm");
            assertEquals(noDecayListed ? 0.01 : 0.0, h[1], 0.0, name + ": as coded, the no-decay list is the one decayed");
            n++;
        }
        assertEquals(model.namedTrainableParameters().size(), n);
        assertEquals(1e-4, m.get(model.get("cls.predictions.transform.dense.weight"))[0], 1e-20, "the MLM head is not in BERT's list (spec 8.3)");
        assertEquals(1e-5, m.get(model.get("bert.encoder.layer.0.attention.self.query.weight"))[0], 1e-20);
        assertEquals(1e-4, m.get(model.get("bert.encoder.v_layer.0.attention.self.query.weight"))[0], 1e-20);
    }

    @Test
    void theStandardRuleDecaysTheWeightsInsteadAndFineTuningHasOneLr() {
        Map<Tensor, double[]> m = byTensor(ParamGroups.fineTuning(model, 4e-5, WeightDecayRule.STANDARD, 0.01));
        for (var e : model.namedTrainableParameters().entrySet()) {
            double[] h = m.get(e.getValue());
            assertEquals(4e-5, h[0], 0.0, e.getKey());
            boolean noDecayListed = e.getKey().contains("bias") || e.getKey().contains("LayerNorm");
            assertEquals(noDecayListed ? 0.0 : 0.01, h[1], 0.0, e.getKey());
        }
    }
}

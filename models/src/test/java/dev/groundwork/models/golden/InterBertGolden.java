package dev.groundwork.models.golden;

import dev.groundwork.engine.golden.GoldenCase;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.interbert.InterBertConfig;
import dev.groundwork.models.interbert.InterBertForMultiModalPreTraining;
import dev.groundwork.models.interbert.InterBertForVLTasks;
import dev.groundwork.models.interbert.InterBertInputs;
import dev.groundwork.models.interbert.InterBertModel;
import dev.groundwork.models.interbert.InterBertPreTrainingHeads;
import dev.groundwork.models.interbert.PretrainingLabels;
import dev.groundwork.models.interbert.PretrainingLosses;
import dev.groundwork.models.interbert.RegionIou;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The InterBERT golden kinds ($GW_GOLDEN/interbert/{ops,models}, golden/README.md), written as
 * {@link GoldenModelsTest#model} is so that its switch can hand these kinds over unchanged: networks
 * are built, loaded strictly through {@link GoldenModelsTest#bind} (the checkpoint's
 * {@code cls.predictions.decoder.weight} included) and run in eval mode, as the cases have dropout off.
 */
final class InterBertGolden {
    private InterBertGolden() {}

    static Map<String, Tensor> model(GoldenCase c, Device device, Map<String, Tensor> env) {
        var cfg = c.config();
        Generator gen = new Generator(0);
        return switch (c.kind()) {
            case "interbert_pretraining" -> {
                var m = GoldenModelsTest.bind(new InterBertForMultiModalPreTraining(InterBertConfig.fromJson(cfg), gen), c, device, env);
                InterBertForMultiModalPreTraining.Output o = m.forward(inputs(env));
                PretrainingLosses l = m.losses(o, new PretrainingLabels(env.get("lm_label_ids"), env.get("image_label"),
                        env.get("image_target"), env.get("is_next")));
                InterBertModel.Output b = o.bert();
                InterBertPreTrainingHeads.Output s = o.scores();
                yield Map.of("prediction_scores_t", s.predictionScoresT(), "prediction_scores_v", s.predictionScoresV(),
                        "seq_relationship_score", s.seqRelationshipScore(), "pooled_output_t", b.pooledOutputT(),
                        "pooled_output_v", b.pooledOutputV(), "sequence_output_t", b.sequenceOutputT(),
                        "sequence_output_v", b.sequenceOutputV(), "masked_lm_loss", l.maskedLmLoss(),
                        "masked_img_loss", l.maskedImgLoss(), "next_sentence_loss", l.nextSentenceLoss());
            }
            case "interbert_vl_tasks" -> {
                var m = GoldenModelsTest.bind(new InterBertForVLTasks(InterBertConfig.fromJson(cfg), cfg.path("num_labels").asInt(), gen),
                        c, device, env);
                InterBertForVLTasks.Scores s = m.forward(inputs(env)).scores();
                yield Map.of("vil_logit", s.vilLogit(), "vil_binary_prediction", s.vilBinaryPrediction(), "vil_prediction", s.vilPrediction());
            }
            case "region_iou" -> {
                Tensor boxes = env.get("boxes");
                yield Map.of("iou", RegionIou.matrix(boxes, cfg.path("image_width").asDouble(), cfg.path("image_height").asDouble())
                        .to(boxes.device()));
            }
            default -> fail(c.name() + ": unknown InterBERT kind '" + c.kind() + "'");
        };
    }

    private static InterBertInputs inputs(Map<String, Tensor> env) {
        return new InterBertInputs(env.get("input_ids"), env.get("token_type_ids"), env.get("input_mask"),
                env.get("image_feat"), env.get("image_loc"), env.get("image_mask"));
    }
}

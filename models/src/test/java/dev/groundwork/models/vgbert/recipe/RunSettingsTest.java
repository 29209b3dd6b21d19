package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.optim.Adam;
import dev.groundwork.engine.optim.Optimizer;
import dev.groundwork.engine.optim.ParamGroup;
import dev.groundwork.engine.optim.Sgd;
import dev.groundwork.engine.optim.StepLr;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.models.train.InvalidSettingException;
import dev.groundwork.models.train.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run settings' defaults (spec §8) and their checks, which name the setting; the stages' optimizers and schedules (§1.6, §6.1). */
class RunSettingsTest {
    @TempDir Path dir;

    private RunSettings.Builder valid(Stage stage, Preset preset) throws Exception {
        Path index = Files.writeString(dir.resolve("index.json"), "{}");
        Path vocab = Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n");
        return RunSettings.builder(stage, preset).dataTrain(index).vocab(vocab).expDir(dir.resolve("exp")).device(Device.CPU)
                .bert(stage == Stage.TWO_STREAM ? PretrainedWeights.NO_BERT : null);
    }

    /** R@K runs where images meet captions (on by default there, off elsewhere); a recall picks the best epoch only with validation data. */
    @Test
    void validationRecallAndTheBestEpochMetric() throws Exception {
        assertEquals(1000, valid(Stage.RETRIEVAL, Preset.DEMO).build().valRecall());
        assertEquals(0, valid(Stage.RELATIONAL, Preset.DEMO).build().valRecall());
        assertEquals("loss_sum", valid(Stage.TWO_STREAM, Preset.DEMO).build().selectBy());
        var e = assertThrows(InvalidSettingException.class, () -> valid(Stage.RELATIONAL, Preset.DEMO).valRecall(10).build());
        assertEquals("valRecall", e.setting());
        e = assertThrows(InvalidSettingException.class, () -> valid(Stage.RETRIEVAL, Preset.DEMO).selectBy("rsum").build());
        assertEquals("selectBy", e.setting());
        assertTrue(e.problem().contains("needs validation data"), e.problem());
        e = assertThrows(InvalidSettingException.class, () -> valid(Stage.RETRIEVAL, Preset.DEMO).selectBy("R@1").build());
        assertTrue(e.problem().contains("i2t_r1"), e.problem());
        Path val = Files.writeString(dir.resolve("val.json"), "{}");
        e = assertThrows(InvalidSettingException.class, () -> valid(Stage.RETRIEVAL, Preset.DEMO).dataVal(val).valRecall(0).selectBy("rsum").build());
        assertEquals("selectBy", e.setting());
        RunSettings s = valid(Stage.RETRIEVAL, Preset.DEMO).dataVal(val).selectBy("t2i_r5").build();
        assertEquals("t2i_r5", s.recorded().get("selectBy"));
    }

    /** Stage 2 says where its BERT comes from (a folder, or none on purpose); the pretrained VGG goes to stages 1 and 2 only. */
    @Test
    void pretrainedStartingPointsGoWhereTheyAreUsed() throws Exception {
        var e = assertThrows(InvalidSettingException.class, () -> valid(Stage.TWO_STREAM, Preset.DEMO).bert(null).build());
        assertEquals("bert", e.setting());
        assertTrue(e.problem().contains("'none' for random weights"), e.problem());
        e = assertThrows(InvalidSettingException.class, () -> valid(Stage.TWO_STREAM, Preset.DEMO).bert(dir.resolve("no-bert").toString()).build());
        assertTrue(e.problem().contains("names no folder or file"), e.problem());
        e = assertThrows(InvalidSettingException.class, () -> valid(Stage.RELATIONAL, Preset.DEMO).bert(PretrainedWeights.NO_BERT).build());
        assertEquals("bert", e.setting());
        Path vgg = Files.writeString(dir.resolve("vgg.pth"), "x");
        for (Stage s : List.of(Stage.RELATIONAL, Stage.RETRIEVAL)) {
            e = assertThrows(InvalidSettingException.class, () -> valid(s, Preset.PAPER).pretrainedVgg(vgg).build());
            assertEquals("pretrainedVgg", e.setting());
            assertTrue(e.problem().contains("comes with --load-pretrained"), e.problem());
        }
        assertEquals(vgg, valid(Stage.VISUAL, Preset.PAPER).pretrainedVgg(vgg).build().pretrainedVgg());
        assertEquals(vgg, valid(Stage.TWO_STREAM, Preset.PAPER).pretrainedVgg(vgg).build().pretrainedVgg());
        e = assertThrows(InvalidSettingException.class, () -> valid(Stage.VISUAL, Preset.PAPER).pretrainedVgg(dir.resolve("none.pth")).build());
        assertTrue(e.problem().contains("names no file"), e.problem());
    }

    @Test
    void unsetValuesTakeTheStagesAndThePresetsDefaults() throws Exception {
        RunSettings paper = valid(Stage.TWO_STREAM, Preset.PAPER).build();
        assertEquals(5e-5, paper.lr());
        assertEquals(180, paper.batchSize());
        assertEquals(100, paper.epochs());
        assertEquals(0.3, paper.dropout());
        assertEquals(8, paper.learnableLayers());
        assertEquals(8, paper.heads());
        assertEquals(768, paper.embeddingDim());
        assertEquals(32, paper.subspaceDim());
        assertEquals(115, paper.relationNum());
        assertEquals(0.1, paper.sigma());
        assertEquals(1.0, paper.temperature());
        assertEquals(0L, paper.seed());
        assertEquals(1, paper.workers());
        assertEquals(0, paper.logEverySteps());
        assertEquals(0L, paper.maxSteps());
        assertEquals(Preset.PAPER.config().withDropout(0.3), paper.config());

        RunSettings demo = valid(Stage.RELATIONAL, Preset.DEMO).heads(2).build();
        assertEquals(1e-5, demo.lr());
        assertEquals(150, demo.epochs());
        assertEquals(1, demo.learnableLayers());
        assertEquals(2, demo.config().heads());
        assertEquals(64, demo.config().dim());
    }

    @Test
    void aBadValueNamesItsSetting() throws Exception {
        Map<String, UnaryOperator<RunSettings.Builder>> cases = Map.ofEntries(
                Map.entry("epochs must be a positive integer, got 0", b -> b.epochs(0)),
                Map.entry("batchSize must be a positive integer, got -3", b -> b.batchSize(-3)),
                Map.entry("lr must be a positive number, got NaN", b -> b.lr(Double.NaN)),
                Map.entry("dropout must be in [0, 1), got 1.0", b -> b.dropout(1.0)),
                Map.entry("sigma must be a positive number, got 0.0", b -> b.sigma(0.0)),
                Map.entry("temperature must be a positive number, got -1.0", b -> b.temperature(-1.0)),
                Map.entry("heads must be a positive divisor of the embedding dim 768, got 7", b -> b.heads(7)),
                Map.entry("embeddingDim must be 768 for the paper preset (the BERT width), got 512", b -> b.embeddingDim(512)),
                Map.entry("subspaceDim must be a positive integer, got 0", b -> b.subspaceDim(0)),
                Map.entry("relationNum must be at least 2 (class 0 = none plus one predicate), got 1", b -> b.relationNum(1)),
                Map.entry("learnableLayers must be between 0 and 12 (the paper BERT's layers), got 13", b -> b.learnableLayers(13)),
                Map.entry("workers must be 0 or more, got -1", b -> b.workers(-1)),
                Map.entry("logEverySteps must be 0 (off) or a positive integer, got -2", b -> b.logEverySteps(-2)),
                Map.entry("maxSteps must be 0 (no limit) or a positive integer, got -1", b -> b.maxSteps(-1L)),
                Map.entry("dataTrain names no file or folder: /no/such.json", b -> b.dataTrain(Path.of("/no/such.json"))),
                Map.entry("loadPretrained names no file: /no/best.safetensors", b -> b.loadPretrained(Path.of("/no/best.safetensors"))),
                Map.entry("vocab names no file: /no/vocab.txt (a bert-base-uncased vocab.txt)", b -> b.vocab(Path.of("/no/vocab.txt"))));
        for (var c : cases.entrySet()) {
            RunSettings.Builder b = c.getValue().apply(valid(Stage.RELATIONAL, Preset.PAPER));
            InvalidSettingException e = assertThrows(InvalidSettingException.class, b::build, c.getKey());
            assertEquals(c.getKey(), e.getMessage());
            assertTrue(c.getKey().startsWith(e.setting() + " "), e.setting());
            assertFalse(e.getMessage().contains("--"), "settings, not flags: " + e.getMessage());
        }
    }

    @Test
    void theVisualStageTakesNoPretrainedWeightsAndNoVocab() throws Exception {
        Path weights = Files.writeString(dir.resolve("w.safetensors"), "x");
        var e = assertThrows(InvalidSettingException.class, () -> valid(Stage.VISUAL, Preset.DEMO).loadPretrained(weights).build());
        assertEquals("loadPretrained", e.setting());
        valid(Stage.VISUAL, Preset.DEMO).vocab(null).build();
    }

    @Test
    void stageOneRunsSgdOnZeroBasedEpochsTheOthersAdamOnOneBased() {
        List<ParamGroup> groups = List.of(ParamGroup.of(Tensor.ones(3).requiresGrad(true)));
        Optimizer sgd = Stage.VISUAL.optimizer(0.01).create(groups);
        assertInstanceOf(Sgd.class, sgd);
        assertEquals(Map.of("lr", 0.01, "momentum", 0.9, "dampening", 0.0, "nesterov", 0.0, "weight_decay", 1e-4, "initial_lr", 0.01),
                sgd.paramGroups().get(0).hyperParameters());
        assertEquals(Schedule.perEpoch(new StepLr(20, 0.5, false)), Stage.VISUAL.schedule());
        for (Stage s : List.of(Stage.TWO_STREAM, Stage.RELATIONAL, Stage.RETRIEVAL)) {
            Optimizer adam = s.optimizer(s.lr()).create(groups);
            assertEquals(Adam.class, adam.getClass(), s.id());
            assertEquals(Map.of("lr", s.lr(), "beta1", 0.95, "beta2", 0.999, "eps", 1e-8, "weight_decay", 5e-7, "initial_lr", s.lr()),
                    adam.paramGroups().get(0).hyperParameters(), s.id());
            assertEquals(Schedule.perEpoch(new StepLr(s == Stage.RETRIEVAL ? 30 : 15, 0.5, true)), s.schedule(), s.id());
        }
    }

    @Test
    void theDemoTrainsEachStageFromThePreviousOnesBest() throws Exception {
        Path data = Files.createDirectories(dir.resolve("out/data"));
        for (String f : List.of("COCO_train.json", "COCO_val.json", "VG_train.json", "VG_val.json")) Files.writeString(data.resolve(f), "{}");
        Path vocab = Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n");
        Demo demo = new Demo(dir.resolve("out"), null, 16, 3, vocab, Device.CPU);
        RunSettings two = demo.settings(Stage.TWO_STREAM);
        assertEquals(null, two.loadPretrained());
        assertEquals(PretrainedWeights.NO_BERT, two.bert());
        assertTrue(two.trainBackbone());
        assertEquals(1.0, two.sigma());
        assertEquals(1e-3, two.lr());
        assertEquals(Demo.EPOCHS_TWO_STREAM, two.epochs());
        assertEquals(dir.resolve("out/two-stream"), two.expDir());
        Files.createDirectories(demo.dir(Stage.TWO_STREAM));
        Files.writeString(demo.best(Stage.TWO_STREAM), "w");
        RunSettings three = demo.settings(Stage.RELATIONAL);
        assertEquals(demo.best(Stage.TWO_STREAM), three.loadPretrained());
        assertEquals(data.resolve("VG_train.json"), three.dataTrain());
        assertFalse(three.trainBackbone());
        assertEquals(0.0, three.dropout());
        assertEquals(16, three.batchSize());
        assertEquals(3L, three.seed());
    }
}

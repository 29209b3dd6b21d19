package dev.groundwork.tools;

import dev.groundwork.engine.nn.Module;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.RelationBatch;
import dev.groundwork.models.text.BertTokenizer;
import dev.groundwork.models.train.BatchSource;
import dev.groundwork.models.train.StageTask;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.train.TrainerConfig;
import dev.groundwork.models.vgbert.Freezing;
import dev.groundwork.models.vgbert.Handoff;
import dev.groundwork.models.vgbert.RelationalModel;
import dev.groundwork.models.vgbert.TransferModel;
import dev.groundwork.models.vgbert.TwoStreamModel;
import dev.groundwork.models.vgbert.VisualPretrainTask;

import java.io.IOException;
import java.io.PrintStream;

/** Builds a stage's model, loads the previous stage (§6.3), wires its data and runs the {@link Trainer}. */
final class StageRunner {
    private StageRunner() {}

    /** Stage-1 classifier hidden width: 4096 in the original, 64 in the demo preset. */
    static int visualHidden(StageSettings s) { return s.flags().preset == TrainFlags.Preset.demo ? 64 : 4096; }

    static Trainer.Result run(StageSettings s, PrintStream log) throws IOException, DataException {
        Generator gen = new Generator(s.flags().seed);
        TrainerConfig tc = (s.stage() == Stage.VISUAL
                ? TrainerConfig.sgd(s.epochs(), s.lr(), s.flags().expDir, s.flags().resume)
                : TrainerConfig.adam(s.epochs(), s.lr(), s.stage().decayEvery, s.flags().expDir, s.flags().resume))
                .withProgress(log, s.stage().cli);
        return switch (s.stage()) {
            case VISUAL -> {
                var train = StageData.images(s, s.flags().dataTrain, true);
                var val = s.flags().dataVal == null ? null : StageData.images(s, s.flags().dataVal, false).source();
                VisualPretrainTask task = new VisualPretrainTask(s.config(), visualHidden(s), train.classes(), gen);
                yield fit(task, train.source(), val, tc, s);
            }
            case TWO_STREAM -> {
                TwoStreamModel m = new TwoStreamModel(s.config(), s.learnable(), gen);
                backbone(s, m);
                if (s.flags().loadPretrained != null)
                    log.println(Handoff.load(m.submodule("image_model"), Handoff.read(s.flags().loadPretrained), Handoff.VISUAL));
                yield fit(m, captions(s, true), captions(s, false), tc, s);
            }
            case RELATIONAL -> {
                RelationalModel m = new RelationalModel(s.config(), s.learnable(), gen);
                backbone(s, m);
                if (s.flags().loadPretrained != null)
                    log.println(Handoff.load(m, Handoff.read(s.flags().loadPretrained), Handoff.TWO_STREAM));
                BertTokenizer tok = BertTokenizer.load(s.flags().vocab);
                BatchSource<RelationBatch> val = s.flags().dataVal == null ? null : StageData.relations(s, tok, s.flags().dataVal, false);
                yield fit(m, StageData.relations(s, tok, s.flags().dataTrain, true), val, tc, s);
            }
            case RETRIEVAL -> {
                TransferModel m = new TransferModel(s.config(), gen);
                if (s.flags().loadPretrained != null)
                    log.println(Handoff.load(m, Handoff.read(s.flags().loadPretrained), Handoff.RELATIONAL));
                else log.println("warning: no --load-pretrained: the frozen streams keep their random initialisation");
                yield fit(m, captions(s, true), captions(s, false), tc, s);
            }
        };
    }

    /** --train-backbone (off by default): {@link Freezing#unfreezePretrained}. */
    private static void backbone(StageSettings s, Module m) {
        if (s.flags().trainBackbone) Freezing.unfreezePretrained(m, s.config().bert().numHiddenLayers(), s.learnable());
    }

    private static BatchSource<CaptionBatch> captions(StageSettings s, boolean train) throws IOException, DataException {
        var f = train ? s.flags().dataTrain : s.flags().dataVal;
        return f == null ? null : StageData.captions(s, BertTokenizer.load(s.flags().vocab), f, train);
    }

    private static <B> Trainer.Result fit(StageTask<B> task, BatchSource<B> train, BatchSource<B> val, TrainerConfig tc, StageSettings s) throws IOException {
        Module m = task.model();
        if (!s.device().equals(dev.groundwork.engine.tensor.Device.CPU)) m.to(s.device());
        return new Trainer<>(task, train, val, tc).fit();
    }
}

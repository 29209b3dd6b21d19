package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.optim.Optimizer;
import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;
import dev.groundwork.engine.tensor.TensorScope;
import dev.groundwork.models.data.CaptionBatch;
import dev.groundwork.models.data.RelationBatch;
import dev.groundwork.models.train.StageTask;
import dev.groundwork.models.vgbert.RelationalModel;
import dev.groundwork.models.vgbert.TransferModel;
import dev.groundwork.models.vgbert.TwoStreamModel;
import dev.groundwork.models.vgbert.VgBertConfig;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one training step of a VG-BERT stage on random batches of the preset's sizes, in the JVM it is
 * started in, to find what heap a step really needs: {@link MemoryCalibration} and
 * {@link MemoryCalibrationTest} start it under a chosen {@code -Xmx}. Exit 0: the step ran; 3: out of
 * memory. Prints the model's {@link MemoryEstimate} at the batch as {@code estimate <bytes>}.
 *
 * <p>Usage: {@code StepProbe two-stream|relational|retrieval paper|demo BATCH [estimate]} (estimate: print it, run no step)
 */
public final class StepProbe {
    public static final int OUT_OF_MEMORY = 3;

    private StepProbe() {}

    public static void main(String[] args) throws Exception {
        Stage stage = java.util.Arrays.stream(Stage.values()).filter(x -> x.id().equals(args[0])).findFirst().orElseThrow();
        Preset preset = Preset.valueOf(args[1].toUpperCase(java.util.Locale.ROOT));
        int batch = Integer.parseInt(args[2]);
        estimateOnly = args.length > 3 && args[3].equals("estimate");
        Path dir = Files.createTempDirectory("gw-probe");
        Path index = Files.writeString(dir.resolve("index.json"), "{}"), vocab = Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n");
        RunSettings s = RunSettings.builder(stage, preset).dataTrain(index).vocab(vocab).expDir(dir.resolve("exp")).device(Device.CPU)
                .bert(stage == Stage.TWO_STREAM ? PretrainedWeights.NO_BERT : null).batchSize(batch).build();
        try {
            Generator gen = new Generator(1);
            VgBertConfig c = s.config();
            switch (stage) {
                case TWO_STREAM -> run(s, new TwoStreamModel(c, s.learnableLayers(), gen), captions(c, batch, gen));
                case RELATIONAL -> run(s, new RelationalModel(c, s.learnableLayers(), gen), relations(c, batch, gen));
                case RETRIEVAL -> run(s, new TransferModel(c, gen), captions(c, batch, gen));
                default -> throw new IllegalArgumentException("no probe for the " + stage.id() + " stage");
            }
        } catch (OutOfMemoryError e) {
            System.out.println("out of memory");
            System.exit(OUT_OF_MEMORY);
        }
        System.out.println("ok");
        System.exit(0);
    }

    private static boolean estimateOnly;

    private static <B> void run(RunSettings s, StageTask<B> task, B batch) {
        System.out.println("estimate " + MemoryEstimate.of(s, task.model()).at(s.batchSize()));
        System.out.flush();
        if (estimateOnly) return;
        Optimizer opt = s.stage().optimizer(s.lr()).create(task.paramGroups());
        // One step holds it all: the scope keeps the activations alive through the optimizer's first step,
        // which allocates its moments (Adam's two), as the trainer's step does.
        try (TensorScope scope = TensorScope.open()) {
            task.step(batch).loss().backward();
            opt.step();
            opt.zeroGrad();
        }
    }

    private static long[] tokens(Generator g, int rows, int slots, int vocab, long[] lengths) {
        long[] ids = new long[rows * slots];
        for (int r = 0; r < rows; r++) {
            lengths[r] = 2 + g.nextInt(slots - 1);
            for (int t = 0; t < lengths[r]; t++) ids[r * slots + t] = 1 + g.nextInt(vocab - 1);
        }
        return ids;
    }

    private static long[] mask(long[] lengths, int slots) {
        long[] m = new long[lengths.length * slots];
        for (int r = 0; r < lengths.length; r++) for (int t = 0; t < lengths[r]; t++) m[r * slots + t] = 1;
        return m;
    }

    static CaptionBatch captions(VgBertConfig c, int b, Generator g) {
        int t = c.captionSlots(), s = c.imageSize();
        long[] nw = new long[b], ids = tokens(g, b, t, c.bert().vocabSize(), nw), types = new long[b * t];
        java.util.Arrays.fill(types, 1);
        return new CaptionBatch(Tensor.randn(g, b, 3, s, s), Tensor.ofLongs(ids, b, t), Tensor.ofLongs(types, b, t),
                Tensor.ofLongs(mask(nw, t), b, t), Tensor.ofLongs(nw, b), new int[b]);
    }

    static RelationBatch relations(VgBertConfig c, int b, Generator g) {
        int o = c.objects(), l = c.phraseSlots(), s = c.imageSize();
        long[] len = new long[b * o], ids = tokens(g, b * o, l, c.bert().vocabSize(), len), types = new long[b * o * l];
        java.util.Arrays.fill(types, 1);
        double[] om = new double[b * o];
        java.util.Arrays.fill(om, 1);
        long[] ot = new long[b * o], rt = new long[b * o * o];
        for (int i = 0; i < ot.length; i++) ot[i] = g.nextInt(c.objectClasses());
        for (int i = 0; i < rt.length; i++) rt[i] = g.nextInt(c.relations());
        return new RelationBatch(Tensor.randn(g, b, 3, s, s), Tensor.ofLongs(ids, b, o, l), Tensor.ofLongs(types, b, o, l),
                Tensor.ofLongs(mask(len, l), b, o, l), Tensor.of(om, b, o).to(DType.F32), Tensor.ofLongs(ot, b, o), Tensor.ofLongs(rt, b, o, o), new int[b]);
    }
}

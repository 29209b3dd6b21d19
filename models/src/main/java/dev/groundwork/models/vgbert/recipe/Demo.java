package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.data.SynthScenes;
import dev.groundwork.models.train.Trainer;
import dev.groundwork.models.vgbert.TwoStreamModel;
import dev.groundwork.models.vgbert.VgBertConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * The demo recipe: the whole VG-BERT pipeline at demo size on synthetic scenes, from random weights.
 * The scenes go to {@code out/data}; stage 2 (two-stream), stage 3 (relational, from stage 2's best)
 * and the retrieval transfer (from stage 3's best) each train in {@code out/<stage id>}.
 *
 * <p>Deviations from the paper's recipe, all forced by training from scratch in minutes, and all
 * settings of an ordinary run rather than code paths of their own:
 * <ul>
 *   <li>No stage 1 and no pretrained BERT exist at this size, so stage 2 also trains what §2.5 freezes
 *       as pretrained ({@link RunSettings#trainBackbone()}: VGG convs, BERT embeddings and query/key).
 *       Stage 3 and the transfer then freeze exactly what the paper freezes.
 *   <li>Stage 2 uses σ = 1: with raw dot products at D = 64 from random weights, the paper's σ = 0.1
 *       saturates the softmax (initial loss 11 against chance 6.9) and stage 2 stayed at chance for the
 *       demo's few hundred steps; σ = 1 reaches R@1 30% of 50 in 4 epochs. (The transfer keeps its
 *       fixed 0.1, §5.1.)
 *   <li>Learning rates 1e-3 (stages 2, 3) and 2e-3 (transfer), no dropout, batch 32.
 * </ul>
 * The demo preset's sizes and its masked transfer mean are in {@link VgBertConfig#demo(int, int)}.
 *
 * @param out    working folder
 * @param epochs epochs of every stage, or null for each stage's own ({@link #epochs(Stage)})
 */
public record Demo(Path out, Integer epochs, int batchSize, long seed, Path vocab, Device device) {
    /** The stages the demo trains, in order. */
    public static final List<Stage> STAGES = List.of(Stage.TWO_STREAM, Stage.RELATIONAL, Stage.RETRIEVAL);
    /** Synthetic images by default, split 80/10/10 into train/val/test. */
    public static final int IMAGES = 2500;
    public static final int BATCH_SIZE = 32;
    /** Epochs of each stage when not overridden: about a minute each on two cores. */
    public static final int EPOCHS_TWO_STREAM = 5, EPOCHS_RELATIONAL = 6, EPOCHS_RETRIEVAL = 8;

    /** Epochs of a stage when not overridden. */
    public static int epochs(Stage stage) {
        return switch (stage) {
            case TWO_STREAM -> EPOCHS_TWO_STREAM;
            case RELATIONAL -> EPOCHS_RELATIONAL;
            case RETRIEVAL -> EPOCHS_RETRIEVAL;
            case VISUAL -> throw new IllegalArgumentException("the demo has no visual stage");
        };
    }

    /**
     * Stage 2's network as the demo's seed initialises it, before any step: the untrained starting point
     * of the whole demo (stage 3 and the transfer start from stage 2's weights). Built as
     * {@link StagePipeline} builds stage 2 (same sizes, same generator, same draw order), so its language
     * stream is the one the trained checkpoints started from; {@code gw eval semantic} compares against it.
     */
    public static TwoStreamModel untrained(long seed) {
        return new TwoStreamModel(Preset.DEMO.config(), Stage.TWO_STREAM.learnableLayers(Preset.DEMO), new Generator(seed));
    }

    /** Draws the scenes into {@code out/data}. */
    public SynthScenes.Summary writeData(int images) throws java.io.IOException {
        return SynthScenes.write(data(), images, VgBertConfig.demo().imageSize(), seed);
    }

    public Path data() { return out.resolve("data"); }

    /** Where {@code stage} trains. */
    public Path dir(Stage stage) { return out.resolve(stage.id()); }

    /** {@code stage}'s best weights, the next stage's starting point. */
    public Path best(Stage stage) { return dir(stage).resolve(Trainer.BEST); }

    /** The settings of {@code stage}'s run: its data index, the previous stage's best weights, the choices above. */
    public RunSettings settings(Stage stage) {
        int i = STAGES.indexOf(stage);
        if (i < 0) throw new IllegalArgumentException("the demo has no " + stage.id() + " stage");
        String index = stage == Stage.RELATIONAL ? "VG" : "COCO";
        return RunSettings.builder(stage, Preset.DEMO)
                .dataTrain(data().resolve(index + "_train.json"))
                .dataVal(data().resolve(index + "_val.json"))
                .loadPretrained(i == 0 ? null : best(STAGES.get(i - 1)))
                .bert(stage == Stage.TWO_STREAM ? PretrainedWeights.NO_BERT : null)
                .expDir(dir(stage))
                .lr(stage == Stage.RETRIEVAL ? 2e-3 : 1e-3)
                .batchSize(batchSize)
                .epochs(epochs != null ? epochs : epochs(stage))
                .sigma(1.0)
                .temperature(1.0)
                .dropout(0.0)
                .trainBackbone(stage == Stage.TWO_STREAM)
                .seed(seed)
                .vocab(vocab)
                .device(device)
                .workers(1)
                .build();
    }
}

package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.vgbert.TwoStreamModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory check before the first step: the paper's stage 2 at batch 180 does not fit a 6 GiB heap, and the message says what to change. */
class MemoryEstimateTest {
    @TempDir Path dir;

    private RunSettings settings(Preset p, int batch) throws Exception {
        Path index = Files.writeString(dir.resolve("index.json"), "{}");
        Path vocab = Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n");
        return RunSettings.builder(Stage.TWO_STREAM, p).dataTrain(index).vocab(vocab).expDir(dir.resolve("exp")).device(Device.CPU)
                .bert(PretrainedWeights.NO_BERT).batchSize(batch).build();
    }

    @Test
    void thePaperPresetAtBatch180IsRefusedWithTheFlagsToChange() throws Exception {
        RunSettings s = settings(Preset.PAPER, 180);
        TwoStreamModel m = new TwoStreamModel(s.config(), s.learnableLayers(), new Generator(0));
        MemoryEstimate f = MemoryEstimate.formula(s, m), e = MemoryEstimate.of(s, m);
        // State (spec 8.4): about 133 M parameters, 56 M trainable (BERT's top 8 layers 47.3 M, the attention, the embedder,
        // the heads), each trainable one with a gradient and Adam's two moments: 4 x (133 + 3 x 56) M bytes, about 1.2 GB.
        assertTrue(f.stateBytes() > 1_100_000_000L && f.stateBytes() < 1_350_000_000L, MemoryEstimate.gib(f.stateBytes()));
        assertTrue(f.perPairBytes() == 4L * 3 * 196 * 32, "the matchmap B x B x R x T, kept with its mask and gradient");
        // The calibration keeps the state as counted, adds the measured base and scales the activations.
        var c = MemoryEstimate.Calibration.of(Preset.PAPER, Stage.TWO_STREAM);
        assertEquals(f.stateBytes() + (c.baseMib() << 20), e.stateBytes());
        assertEquals(Math.round(f.perSampleBytes() * c.sampleFactor()), e.perSampleBytes());
        assertTrue(c.sampleFactor() >= 1, "the formula counts less than a step keeps: " + c);
        long heap = 6L << 30;
        String why = e.refusal(180, heap);
        assertTrue(why != null && why.contains("at batch 180") && why.contains("Lower -b/--batch-size to ")
                && why.contains("GW_JAVA_OPTS=-Xmx") && why.contains("-J-Xmx"), why);
        int fits = e.largestBatch((long) (MemoryEstimate.MARGIN * heap));
        assertTrue(fits > 0 && fits < 180, "largest batch " + fits);
        assertNull(e.refusal(fits, heap));
        assertTrue(e.at(fits + 1) > MemoryEstimate.MARGIN * heap);
    }

    @Test
    void theDemoFitsASmallHeap() throws Exception {
        RunSettings s = settings(Preset.DEMO, 32);
        MemoryEstimate e = MemoryEstimate.of(s, Demo.untrained(0));
        assertNull(e.refusal(32, 1L << 30), MemoryEstimate.gib(e.at(32)));
        assertEquals(e.stateBytes() + 32 * e.perSampleBytes() + 32L * 32 * e.perPairBytes(), e.at(32));
    }
}

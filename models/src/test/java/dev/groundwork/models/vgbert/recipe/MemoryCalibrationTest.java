package dev.groundwork.models.vgbert.recipe;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.models.vgbert.TwoStreamModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calibration predicts what a step really takes: a demo-preset stage-2 step at a batch the calibration
 * was not measured at runs in a child JVM whose heap is 115% of the calibrated need, and runs out of memory
 * at 70% of it (the uncalibrated formula sat at about half the need).
 */
class MemoryCalibrationTest {
    @TempDir Path dir;

    @Test
    void aStepRunsInTheCalibratedHeapAndNotFarBelowIt() throws Exception {
        int batch = 20;
        RunSettings s = RunSettings.builder(Stage.TWO_STREAM, Preset.DEMO).dataTrain(Files.writeString(dir.resolve("index.json"), "{}"))
                .vocab(Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n")).expDir(dir.resolve("exp")).device(Device.CPU)
                .bert(PretrainedWeights.NO_BERT).batchSize(batch).build();
        TwoStreamModel m = new TwoStreamModel(s.config(), s.learnableLayers(), new Generator(1));
        long need = MemoryEstimate.of(s, m).at(batch) >> 20, floor = MemoryEstimate.formula(s, m).at(batch) >> 20;
        assertTrue(floor < 0.7 * need, "the formula alone (" + floor + " MiB) is already near the calibrated " + need + " MiB");
        assertTrue(MemoryCalibration.probe("two-stream", "demo", batch, Math.round(need * 1.15), false).ran(),
                "a step at batch " + batch + " did not run in 115% of the calibrated " + need + " MiB");
        assertFalse(MemoryCalibration.probe("two-stream", "demo", batch, Math.round(need * 0.7), false).ran(),
                "a step at batch " + batch + " ran in 70% of the calibrated " + need + " MiB: the calibration overstates it");
    }
}

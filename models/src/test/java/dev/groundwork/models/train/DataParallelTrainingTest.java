package dev.groundwork.models.train;

import dev.groundwork.engine.testing.MpiRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training over Open MPI, 2 and 4 processes on this host ({@link DataParallelMain} is
 * each rank): one step equals the single-process step on the full batch for BERT pretraining and the
 * stage-2 model with global negatives; replicas stay bit-identical; checkpoints resume across world
 * sizes (1 → 2 and 2 → 1) and land where a run that never changed its world size lands.
 */
class DataParallelTrainingTest {
    @Test
    void fourProcessStepsEqualTheFullBatchStep() throws Exception {
        MpiRun.Result r = MpiRun.run(4, 180, DataParallelMain.class, "check");
        assertEquals(0, r.exitCode(), r.output());
        for (int k = 0; k < 4; k++) assertTrue(r.output().contains("OK rank " + k + " of 4"), r.output());
        assertTrue(r.output().contains("stage 2 (global negatives) matches the single-process step"), r.output());
        for (int k = 0; k < 4; k++)
            assertTrue(r.output().contains("rank " + k + ": overlapped all-reduce equals the after-backward one bit for bit"), r.output());
    }

    /**
     * Two processes: the step check, then a run resumed on 2 processes from a 1-process checkpoint and
     * a 2-process run stopped mid-epoch and resumed on 1; each ends where the 1-process run ends.
     */
    @Test
    void twoProcessesMatchAndResumeAcrossWorldSizes(@TempDir Path dir) throws Exception {
        Path ref = dir.resolve("ref"), oneToTwo = dir.resolve("1to2"), twoToOne = dir.resolve("2to1");
        DataParallelFixtures.train(ref, 0, false, DataParallel.none());
        DataParallelFixtures.train(oneToTwo, 2, false, DataParallel.none());
        MpiRun.Result r = MpiRun.run(2, 180, DataParallelMain.class, "check", "train", oneToTwo.toString(), "0", "true",
                "train", twoToOne.toString(), "4", "false");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("rank 1: weights identical on all 2 ranks"), r.output());
        assertTrue(r.output().contains("rank 0: BERT pretraining matches the single-process step"), r.output());
        DataParallelFixtures.train(twoToOne, 0, true, DataParallel.none());
        Map<String, float[]> want = DataParallelFixtures.weights(ref.resolve(Trainer.CHECKPOINT));
        for (Path run : new Path[]{oneToTwo, twoToOne}) {
            Map<String, float[]> got = DataParallelFixtures.weights(run.resolve(Trainer.CHECKPOINT));
            DataParallelFixtures.assertClose(want, got, run.getFileName().toString());
            double moved = 0;
            // the runs trained: the final weights are not the initial ones
            Map<String, float[]> init = DataParallelFixtures.weights(DataParallelFixtures.stage2(5).stateDict());
            for (var e : want.entrySet())
                for (int i = 0; i < e.getValue().length; i++) moved = Math.max(moved, Math.abs(e.getValue()[i] - init.get(e.getKey())[i]));
            assertTrue(moved > 1e-3, "training moved no weight");
            // six steps in the metrics of the resumed runs, written by rank 0 only
            assertTrue(Files.readString(run.resolve(Trainer.METRICS)).contains("\"step\":6"), Files.readString(run.resolve(Trainer.METRICS)));
        }
    }
}

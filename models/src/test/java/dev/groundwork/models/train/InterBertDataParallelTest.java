package dev.groundwork.models.train;

import dev.groundwork.engine.testing.MpiRun;
import dev.groundwork.models.interbert.data.InterBertSynth;
import dev.groundwork.models.interbert.recipe.Pretraining;
import dev.groundwork.models.interbert.recipe.RunOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * InterBERT pretraining over Open MPI ({@link InterBertDataParallelMain} is each rank), on the synthetic
 * Conceptual-Captions store: 2 and 4 processes load exactly the rows of the global batch and make the
 * single-process step (loss and every gradient); recipe runs resume across world sizes (1 → 2, 2 → 1) and land
 * on the single-process run's weights; with {@code training_feat_part_{rank}.lmdb} present each rank reads its own;
 * a rank that dies mid-step ends the run.
 */
class InterBertDataParallelTest {
    @TempDir Path dir;
    Path data, vocab;

    @BeforeEach
    void data() throws Exception {
        Path root = dir.resolve("synth");
        InterBertSynth.write(root, InterBertSynth.Options.SMALL.withImages(30));
        data = root.resolve("concap");
        vocab = dir.resolve("vocab.txt");
        Files.writeString(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nred\ngreen\nblue\ndog\ncat\nlarge\nsmall\n.\n");
    }

    @Test
    void fourProcessPretrainingStepEqualsTheFullBatchStep() throws Exception {
        MpiRun.Result r = MpiRun.run(4, 120, InterBertDataParallelMain.class, "check", data.toString(), vocab.toString());
        assertEquals(0, r.exitCode(), r.output());
        for (int k = 0; k < 4; k++) {
            assertTrue(r.output().contains("rank " + k + ": its shard of the global pretraining batch is rows"), r.output());
            assertTrue(r.output().contains("rank " + k + ": InterBERT pretraining matches the single-process step"), r.output());
        }
    }

    /** Two processes: the step check, then a run stopped at step 3 and resumed on one process. */
    @Test
    void twoProcessesMatchAndResumeOnOne() throws Exception {
        Path twoToOne = dir.resolve("2to1");
        MpiRun.Result r = MpiRun.run(2, 120, InterBertDataParallelMain.class, "check", data.toString(), vocab.toString(),
                "train", data.toString(), vocab.toString(), twoToOne.toString(), "3", "false");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("rank 1: InterBERT pretraining matches the single-process step"), r.output());
        assertTrue(r.output().contains("rank 0 of 2: part 1 of each global batch of 12") && r.output().contains("rank 1: trained to step 3"), r.output());
        Pretraining.run(InterBertDataParallelMain.settings(data, vocab, RunOptions.of(twoToOne, 7).withResume(true)), quiet(), new StopRequest());
        landsOnTheSingleProcessRun(twoToOne);
    }

    /** A one-process run stopped after its first step, resumed on two processes. */
    @Test
    void oneProcessResumesOnTwo() throws Exception {
        Path oneToTwo = dir.resolve("1to2");
        Pretraining.run(InterBertDataParallelMain.settings(data, vocab, RunOptions.of(oneToTwo, 7).withMaxSteps(1)), quiet(), new StopRequest());
        MpiRun.Result r = MpiRun.run(2, 120, InterBertDataParallelMain.class, "train", data.toString(), vocab.toString(), oneToTwo.toString(), "0", "true");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("rank 1: trained to step 4"), r.output());
        landsOnTheSingleProcessRun(oneToTwo);
    }

    private static PrintStream quiet() { return new PrintStream(new ByteArrayOutputStream()); }

    /** The run's final weights are those of an uninterrupted one-process run, within fp32 tolerance; its log has steps 1..4 once. */
    private void landsOnTheSingleProcessRun(Path run) throws Exception {
        Path ref = dir.resolve("ref");
        Pretraining.run(InterBertDataParallelMain.settings(data, vocab, RunOptions.of(ref, 7)), quiet(), new StopRequest());
        Map<String, float[]> want = DataParallelFixtures.weights(ref.resolve(Trainer.CHECKPOINT)), got = DataParallelFixtures.weights(run.resolve(Trainer.CHECKPOINT));
        DataParallelFixtures.assertClose(want, got, run.getFileName().toString());
        String metrics = Files.readString(run.resolve(Trainer.METRICS));
        assertTrue(metrics.contains("\"step\":4") && !metrics.contains("\"step\":5"), metrics);
    }

    /** A rank that dies in the middle of a step ends the job at once (mpirun ends the others), not a hang. */
    @Test
    void aRankThatDiesEndsTheRun() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 120, InterBertDataParallelMain.class, "die", data.toString(), vocab.toString(), dir.resolve("die").toString());
        assertNotEquals(0, r.exitCode(), r.output());
        assertFalse(r.output().contains("trained on without rank 1"), r.output());
        assertTrue(r.seconds() < 60, "took " + r.seconds() + " s:\n" + r.output());
    }

    /** Every rank has its part: each reads its own with the per-rank batch, and the run trains. */
    @Test
    void ranksReadTheirOwnPartsWhenEveryRankHasOne() throws Exception {
        Files.copy(data.resolve("training_feat_all.lmdb"), data.resolve("training_feat_part_0.lmdb"));
        Files.copy(data.resolve("training_feat_all.lmdb"), data.resolve("training_feat_part_1.lmdb"));
        MpiRun.Result r = MpiRun.run(2, 120, InterBertDataParallelMain.class, "train", data.toString(), vocab.toString(),
                dir.resolve("parts").toString(), "2", "false");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("training_feat_part_0.lmdb") && r.output().contains("rank 0 of 2: its own part, 6 per step"), r.output());
        assertTrue(r.output().contains("rank 1: trained to step 2"), r.output());
    }
}

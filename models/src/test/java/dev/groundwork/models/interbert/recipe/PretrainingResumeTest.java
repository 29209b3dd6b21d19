package dev.groundwork.models.interbert.recipe;

import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.models.interbert.data.InterBertSynth;
import dev.groundwork.models.train.StopRequest;
import dev.groundwork.models.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * InterBERT pretraining stopped mid-epoch and resumed ends where an uninterrupted run ends, bit for bit on
 * the CPU (weights, BertAdam state, losses), with the sampling (ITM pairs, masks) drawn again identically.
 */
class PretrainingResumeTest {
    @TempDir Path dir;

    @Test
    void aStoppedAndResumedRunEqualsAnUninterruptedOne() throws Exception {
        Path data = dir.resolve("data"), vocab = dir.resolve("vocab.txt");
        InterBertSynth.write(data, InterBertSynth.Options.SMALL.withImages(30));
        Files.writeString(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nred\ngreen\nblue\ndog\ncat\nlarge\nsmall\n.\n");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        PretrainSettings whole = settings(data, vocab, RunOptions.of(dir.resolve("a"), 7));
        Trainer.Result a = Pretraining.run(whole, quiet, new StopRequest());
        PretrainSettings part = settings(data, vocab, RunOptions.of(dir.resolve("b"), 7));
        Trainer.Result stopped = Pretraining.run(part.withRun(part.run().withMaxSteps(3)), quiet, new StopRequest());
        assertEquals(3, stopped.steps());
        Trainer.Result rest = Pretraining.run(part.withRun(part.run().withResume(true)), quiet, new StopRequest());
        assertEquals(a.stepLosses().subList(3, a.stepLosses().size()), rest.stepLosses());
        var ca = Checkpoint.load(dir.resolve("a").resolve(Trainer.CHECKPOINT));
        var cb = Checkpoint.load(dir.resolve("b").resolve(Trainer.CHECKPOINT));
        for (var e : ca.model().entrySet()) assertArrayEquals(e.getValue().toFloatArray(), cb.model().get(e.getKey()).toFloatArray(), e.getKey());
        for (var e : ca.optimizer().entrySet())
            assertArrayEquals(e.getValue().toDoubleArray(), cb.optimizer().get(e.getKey()).toDoubleArray(), e.getKey());
    }

    /** The demo network, 2 epochs of 2 batches of 12 (27 records, the last partial batch dropped as tensorpack's). */
    private static PretrainSettings settings(Path data, Path vocab, RunOptions run) {
        PretrainSettings d = PretrainSettings.defaults(data.resolve("concap"), vocab, run);
        return new PretrainSettings(d.data(), d.vocab(), null, ModelSize.DEMO, null, 1e-3, 12, 2, 0.1, true, false, 1, 1, 1,
                d.weightDecayRule(), d.weightDecay(), ParamGroups.BERT_LR_FACTOR, -1, 16, 8, d.run());
    }
}

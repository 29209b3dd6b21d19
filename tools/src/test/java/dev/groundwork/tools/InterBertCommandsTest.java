package dev.groundwork.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The InterBERT commands' help, with the original flag names (bad input: {@link InterBertBadInputTest}). */
class InterBertCommandsTest {
    @Test
    void everyCommandPrintsHelpWithTheOriginalFlagNames() {
        for (String[] c : new String[][]{{"train", "interbert-pretrain"}, {"train", "interbert-flickr"}, {"train", "interbert-vcr"},
                {"eval", "interbert-retrieval"}, {"eval", "vcr"}, {"demo", "interbert"}}) {
            CliRun r = CliRun.of(new Gw(), c[0], c[1], "--help");
            assertEquals(0, r.code(), String.join(" ", c));
            if (c[0].equals("train")) assertTrue(r.out().contains("--learning_rate") && r.out().contains("--num_train_epochs")
                    && r.out().contains("--train_batch_size"), r.out());
        }
        assertTrue(CliRun.of(new Gw(), "train", "interbert-flickr", "--help").out().contains("--ema_decay_ratio"));
        assertTrue(CliRun.of(new Gw(), "train", "interbert-pretrain", "--help").out().contains("span_mask"));
        assertTrue(CliRun.of(new Gw(), "eval", "interbert-retrieval", "--help").out().contains("--zero_shot"));
    }

    /** --head-dropout reaches the settings, which refuse a rate outside [0, 1) in one line before anything is read. */
    @Test
    void headDropoutOutsideItsRangeIsRefused(@TempDir Path dir) throws Exception {
        Path vocab = Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
        for (String task : new String[]{"interbert-flickr", "interbert-vcr"}) {
            CliRun r = CliRun.of(new Gw(), "train", task, "--data", dir.toString(), "--vocab", vocab.toString(), "--exp-dir",
                    dir.resolve("out-" + task).toString(), "--head-dropout", "1");
            assertTrue(r.code() != 0 && r.err().contains("--head-dropout must be in [0, 1), got 1.0") && !r.err().contains("\tat "), task + ": " + r.err());
        }
        assertTrue(CliRun.of(new Gw(), "train", "interbert-vcr", "--help").out().contains("--head-dropout"));
    }
}

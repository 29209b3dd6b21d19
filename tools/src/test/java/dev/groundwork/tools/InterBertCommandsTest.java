package dev.groundwork.tools;

import org.junit.jupiter.api.Test;

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
}

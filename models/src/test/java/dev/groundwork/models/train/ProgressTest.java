package dev.groundwork.models.train;

import dev.groundwork.engine.settings.Settings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two progress styles: a redrawn bar with the run's ETA for a terminal, plain lines without a carriage return for a log. */
class ProgressTest {
    private static String run(Settings.ProgressStyle style) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress p = new Progress(out, "two-stream", style, 0);
        p.startRun(10, 40);
        p.startEpoch();
        Thread.sleep(600);
        p.update(2, 4, 5, 10, 20, 0.5, 8);
        p.line("two-stream epoch 2/4  train loss 0.5000");
        Thread.sleep(600);
        p.update(3, 4, 1, 10, 21, 0.4, 8);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLogGetsPlainLinesWithTheRunsShareAndEta() throws Exception {
        String s = run(Settings.ProgressStyle.LINES);
        assertFalse(s.contains("\r"), s);
        assertEquals(3, s.lines().count(), s);
        // 10 steps in about 0.6 s, 20 left: an ETA of about a second, over the run, not the epoch.
        assertTrue(s.lines().findFirst().orElseThrow().matches("two-stream  50%  step 20/40  ETA 00:00:0[0-3]  epoch 2/4  batch 5/10  loss 0.5000  .* img/s"), s);
    }

    @Test
    void aTerminalGetsARedrawnBar() throws Exception {
        String s = run(Settings.ProgressStyle.BAR);
        assertTrue(s.startsWith("\rtwo-stream [############............]  50%  step 20/40"), s);
        assertTrue(s.contains("\r\033[Ktwo-stream epoch 2/4"), "an epoch line replaces the bar: " + s);
    }

    @Test
    void offOrNoStreamShowsNothing() throws Exception {
        assertEquals("", run(Settings.ProgressStyle.OFF));
        Progress p = new Progress(null, "x", Settings.ProgressStyle.BAR, 0);
        p.startRun(0, 1);
        p.update(1, 1, 1, 1, 1, 1, 1);
        p.line("y");
    }
}

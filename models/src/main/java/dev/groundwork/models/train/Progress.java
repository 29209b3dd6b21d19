package dev.groundwork.models.train;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress display rewritten in place with a carriage return: epoch, step, running loss,
 * throughput and ETA for the epoch. A plain {@code \r} line rather than a progress-bar library: it
 * needs no dependency, degrades to readable lines in a log file, and redraws at most twice a second
 * so it costs nothing next to a training step. Work counted in items rather than epochs (texts embedded,
 * features predicted) draws through {@link #count}.
 */
public final class Progress {
    private final PrintWriter out;
    private final String label;
    private long epochStart, lastDraw;
    private long images;

    /** {@code out} null disables the display. */
    public Progress(PrintStream out, String label) {
        this(out == null ? null : new PrintWriter(out), label);
    }

    /** {@code out} null disables the display. */
    public Progress(PrintWriter out, String label) {
        this.out = out;
        this.label = label;
        this.epochStart = System.nanoTime();
    }

    public void startEpoch() {
        epochStart = System.nanoTime();
        lastDraw = 0;
        images = 0;
    }

    public void update(int epoch, int epochs, int batch, int batches, long step, double runningLoss, int batchImages) {
        images += batchImages;
        if (out == null) return;
        long now = System.nanoTime();
        boolean last = batch == batches;
        if (!last && now - lastDraw < 500_000_000L) return;
        lastDraw = now;
        double secs = Math.max(1e-9, (now - epochStart) / 1e9);
        double perBatch = secs / batch;
        long eta = Math.round(perBatch * Math.max(0, batches - batch));
        out.printf("\r%s epoch %d/%d  batch %d/%d  step %d  loss %.4f  %.1f img/s  ETA %s   ",
                label, epoch, epochs, batch, batches, step, runningLoss, images / secs, clock(eta));
        out.flush();
    }

    /**
     * Items done of a total since this display was made ("embed 1200/6238  412.0/s  ETA 00:00:12"); the
     * last update ({@code done >= total}) ends the line with the elapsed time. Safe to call from parallel workers.
     */
    public synchronized void count(int done, int total) {
        if (out == null) return;
        long now = System.nanoTime();
        boolean last = done >= total;
        if (!last && now - lastDraw < 500_000_000L) return;
        lastDraw = now;
        double secs = Math.max(1e-9, (now - epochStart) / 1e9), rate = done / secs;
        long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        out.printf(Locale.ROOT, "\r%s %d/%d  %.1f/s  %s   %s", label, done, total, rate,
                last ? String.format(Locale.ROOT, "%.1f s", secs) : "ETA " + clock(eta), last ? "\n" : "");
        out.flush();
    }

    /** Ends the in-place line with a summary. */
    public void line(String text) {
        if (out == null) return;
        out.print("\r" + text + "\n");
        out.flush();
    }

    static String clock(long s) { return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60); }
}

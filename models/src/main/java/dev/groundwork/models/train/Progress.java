package dev.groundwork.models.train;

import dev.groundwork.engine.settings.Settings;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress on stderr, over the whole run (not only the epoch): steps done of the run's total,
 * epoch and batch, running loss, throughput and the ETA of the run. Two styles ({@code GW_PROGRESS}):
 * <ul>
 *   <li>{@code bar}, for a terminal ({@code ./gw} chooses it when stderr is one): one line redrawn in
 *       place with a carriage return, at most twice a second, with a bar of the run's share done;</li>
 *   <li>{@code lines}, for a log file or a pipe: a plain line every {@link #PLAIN_EVERY_NS} (and none
 *       between), never a carriage return, so a log holds readable lines only.</li>
 * </ul>
 * {@code off} (or {@code --quiet}, which passes no stream) shows nothing. Epoch summaries and step records
 * ({@link #line}) are printed in every style but off. Written here rather than with a progress-bar
 * library: it is one line of arithmetic, and costs nothing next to a training step.
 */
public final class Progress {
    /** How often the plain style prints a line. */
    static final long PLAIN_EVERY_NS = 30_000_000_000L;
    private static final long BAR_EVERY_NS = 500_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final String label;
    private final Settings.ProgressStyle style;
    private final long plainEvery;
    private long runStart, firstStep, totalSteps, lastDraw, epochStart, images;
    private boolean drawn;

    /** {@code out} null disables the display; the style is {@code GW_PROGRESS}'s. */
    public Progress(PrintStream out, String label) { this(out, label, Settings.current().progress()); }

    public Progress(PrintStream out, String label, Settings.ProgressStyle style) { this(out, label, style, PLAIN_EVERY_NS); }

    /** {@code plainEveryNs}: the plain style's interval (tests shorten it). */
    Progress(PrintStream out, String label, Settings.ProgressStyle style, long plainEveryNs) {
        this(out == null ? null : new PrintWriter(out), label, style, plainEveryNs);
    }

    /** For a command's own error writer (picocli's, which tests capture); the style is {@code GW_PROGRESS}'s. */
    public Progress(PrintWriter out, String label) { this(out, label, Settings.current().progress(), PLAIN_EVERY_NS); }

    private Progress(PrintWriter out, String label, Settings.ProgressStyle style, long plainEveryNs) {
        this.out = style == Settings.ProgressStyle.OFF ? null : out;
        this.label = label;
        this.style = style;
        this.plainEvery = plainEveryNs;
        // Counted work ({@link #count}) is timed from here: make the display when the work starts.
        this.runStart = this.lastDraw = System.nanoTime();
    }

    /** The run begins (or resumes) at {@code firstStep} of {@code totalSteps} (0: unknown). */
    public void startRun(long firstStep, long totalSteps) {
        this.runStart = System.nanoTime();
        this.firstStep = firstStep;
        this.totalSteps = totalSteps;
        this.lastDraw = runStart;
    }

    public void startEpoch() {
        epochStart = System.nanoTime();
        images = 0;
    }

    public void update(int epoch, int epochs, int batch, int batches, long step, double runningLoss, int batchImages) {
        images += batchImages;
        if (out == null) return;
        long now = System.nanoTime();
        boolean bar = style == Settings.ProgressStyle.BAR;
        if (now - lastDraw < (bar ? BAR_EVERY_NS : plainEvery)) return;
        lastDraw = now;
        double ips = images / Math.max(1e-9, (now - epochStart) / 1e9);
        String where = String.format(Locale.ROOT, "epoch %d/%d  batch %d/%d  loss %.4f  %.1f img/s", epoch, epochs, batch, batches, runningLoss, ips);
        String run = runShare(now, step);
        if (bar) {
            out.print("\r" + label + " " + run + "  " + where + "   ");
            drawn = true;
        } else out.println(label + " " + run + "  " + where);
        out.flush();
    }

    /**
     * Items done of a total since this display was made ("embed 1200/6238  412.0/s  ETA 00:00:12"), for work
     * counted in items rather than steps (texts embedded, features predicted); the last update
     * ({@code done >= total}) ends with the elapsed time. Timed from the display's making. Same styles as training.
     * Safe from parallel workers.
     */
    public synchronized void count(int done, int total) {
        if (out == null) return;
        long now = System.nanoTime();
        boolean bar = style == Settings.ProgressStyle.BAR, last = done >= total;
        if (!last && now - lastDraw < (bar ? BAR_EVERY_NS : plainEvery)) return;
        lastDraw = now;
        double secs = Math.max(1e-9, (now - runStart) / 1e9), rate = done / secs;
        String text = String.format(Locale.ROOT, "%s %d/%d  %.1f/s  %s", label, done, total, rate,
                last ? String.format(Locale.ROOT, "%.1f s", secs) : "ETA " + clock(rate > 0 ? Math.round((total - done) / rate) : 0));
        if (bar && !last) {
            out.print("\r" + text + "   ");
            drawn = true;
        } else line(text);
        out.flush();
    }

    /** "[#####.....]  42%  step 120/300  ETA 00:01:23", or the step alone when the total is unknown. */
    private String runShare(long now, long step) {
        if (totalSteps <= 0) return "step " + step;
        double share = Math.min(1, (double) step / totalSteps);
        long doneHere = step - firstStep;
        String eta = doneHere <= 0 ? "--:--:--" : clock(Math.round((now - runStart) / 1e9 / doneHere * Math.max(0, totalSteps - step)));
        String pct = String.format(Locale.ROOT, "%3.0f%%  step %d/%d  ETA %s", 100 * share, step, totalSteps, eta);
        if (style != Settings.ProgressStyle.BAR) return pct;
        int full = (int) Math.round(share * BAR_WIDTH);
        return "[" + "#".repeat(full) + ".".repeat(BAR_WIDTH - full) + "] " + pct;
    }

    /** A line of its own (an epoch summary, a step record); in the bar style it replaces the bar, which is redrawn next update. */
    public void line(String text) {
        if (out == null) return;
        if (drawn) out.print("\r\033[K");
        drawn = false;
        out.println(text);
        out.flush();
    }

    static String clock(long s) { return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60); }
}

package dev.groundwork.tools;

import dev.groundwork.models.train.MetricsLog;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gw plot EXP_DIR}: training curves from EXP_DIR/metrics.jsonl as PNGs in EXP_DIR/plots. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draw EXP_DIR/metrics.jsonl (the trainer's log, one JSON object per line) as PNG charts, one per metric:",
                "its train and val curves together (train.loss with val.loss, val.relation_acc1, the learning rate alone);",
                "the validation recalls of two-stream and retrieval runs (val.i2t_r1 ... val.t2i_r10) share plots/recall.png.",
                "Epoch records are drawn against the epoch (plots/<metric>.png), step records (--log-every-steps) against the step",
                "(plots/step-<metric>.png); bookkeeping fields (best_epoch, best_metric, elapsed_s) are not drawn.",
                "Writes EXP_DIR/plots/*.png (readable by all) and prints the paths."})
public final class PlotCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXP_DIR", description = "experiment folder holding metrics.jsonl")
    Path dir;

    @Override
    public Integer call() {
        Path metrics = dir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics)) return Failures.report(spec, metrics, new IOException(metrics + ": no such file"));
        // AWT must not look for a display: plots are drawn on servers and in CI.
        System.setProperty("java.awt.headless", "true");
        try {
            List<MetricsLog.Curves> all = new MetricsLog(metrics).curves();
            Path plots = Files.createDirectories(dir.resolve("plots"));
            for (MetricsLog.Curves curves : all) {
                Map<String, Map<String, MetricsLog.Series>> groups = new LinkedHashMap<>();
                curves.series().forEach((name, s) -> {
                    if (!BOOKKEEPING.contains(name)) groups.computeIfAbsent(group(name), g -> new LinkedHashMap<>()).put(name, s);
                });
                String prefix = curves.kind().equals(MetricsLog.STEP) ? "step-" : "";
                for (var g : groups.entrySet()) {
                    Path png = plots.resolve(prefix + g.getKey() + ".png");
                    ChartFiles.save(chart(prefix + g.getKey(), curves.x(), g.getValue()), png);
                    spec.commandLine().getOut().println(png);
                }
            }
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            return Failures.report(spec, metrics, e);
        }
    }

    /** Fields of the trainer's records that are not curves of the run (which epoch was best, wall time, positions). */
    static final java.util.Set<String> BOOKKEEPING = java.util.Set.of("best_epoch", "best_metric", "elapsed_s", "step", "epoch", "batches",
            "batches_per_epoch");

    /**
     * Which chart a metric goes on: one per metric, its train and val curves together ({@code train.loss}
     * and {@code val.loss}, or {@code train_loss} and {@code val_loss}, on "loss"); a file-name-safe name.
     * The six validation recalls (i2t_r1 ... t2i_r10, all in %) share one chart, "recall", as papers draw them.
     */
    static String group(String metric) {
        String m = metric.toLowerCase(java.util.Locale.ROOT).replaceFirst("^(train|val)[._]", "");
        if (m.matches("(i2t|t2i)_r[0-9]+")) return "recall";
        return m.replaceAll("[^a-z0-9_.@-]", "_");
    }

    private static XYChart chart(String title, String x, Map<String, MetricsLog.Series> series) {
        XYChart c = new XYChartBuilder().width(900).height(540).title(title + " per " + x).xAxisTitle(x).yAxisTitle(title).build();
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (var s : series.entrySet()) {
            var added = c.addSeries(s.getKey(), s.getValue().x(), s.getValue().y());
            // Markers only when there are few points (per-epoch validation), so dense step curves stay readable.
            if (s.getValue().x().size() > 60) added.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }
}

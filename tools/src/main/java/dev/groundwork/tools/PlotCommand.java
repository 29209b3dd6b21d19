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
        description = {"Draw EXP_DIR/metrics.jsonl (one JSON object per line, with \"epoch\" or \"step\") as PNG charts:",
                "losses together, accuracies/recalls together, any other metric alone; nested objects as train.loss, val.loss, ...",
                "Epoch records are drawn against the epoch (plots/<group>.png), step records (--log-every-steps) against the step",
                "(plots/step-<group>.png). Writes EXP_DIR/plots/*.png and prints the paths."})
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
                curves.series().forEach((name, s) -> groups.computeIfAbsent(group(name), g -> new LinkedHashMap<>()).put(name, s));
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

    /**
     * Which chart a metric goes on: losses share one, accuracies and recalls another (same 0..1 or
     * 0..100 scale); anything else (learning rate, timings) gets its own so scales do not clash.
     */
    static String group(String metric) {
        String m = metric.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("loss")) return "loss";
        if (m.startsWith("acc") || m.contains("_acc") || m.contains(".acc") || m.contains("recall") || m.matches(".*\\br@\\d+.*|.*(^|_)r\\d+$|.*rsum.*"))
            return "accuracy";
        return m.replaceAll("[^a-z0-9_.@-]", "_");
    }

    private static XYChart chart(String title, String x, Map<String, MetricsLog.Series> series) {
        XYChart c = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle(x).yAxisTitle(series.size() == 1 ? series.keySet().iterator().next() : title).build();
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (var s : series.entrySet()) {
            var added = c.addSeries(s.getKey(), s.getValue().x(), s.getValue().y());
            // Markers only when there are few points (per-epoch validation), so dense step curves stay readable.
            if (s.getValue().x().size() > 60) added.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }
}

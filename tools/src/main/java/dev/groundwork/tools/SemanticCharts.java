package dev.groundwork.tools;

import dev.groundwork.models.eval.semantic.SemanticResults;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The semantic evaluation's figures as PNGs (XChart, drawn headless):
 * <ul>
 *   <li>{@code concreteness-MODEL.png}: the paper's category scatter (spec §7.2): each SemCat category at its
 *       mean concreteness (x) and mean PC1 score (y), coloured by mean concreteness (blue = abstract,
 *       red = concrete), sized by the spread of PC1 in the category (its standard deviation, scaled so the
 *       widest category is 32 px across: the notebook's 5 x std is in matplotlib's units), with the
 *       least-squares line;</li>
 *   <li>{@code silhouette.png}: a box per model of the per-category silhouettes;</li>
 *   <li>{@code norms.png}: a box per feature type and model of the per-feature F1 (when norms ran).</li>
 * </ul>
 */
final class SemanticCharts {
    private SemanticCharts() {}

    static List<Path> write(SemanticResults r, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Path> out = new ArrayList<>();
        for (SemanticResults.Concreteness c : r.concreteness()) {
            Path png = dir.resolve("concreteness-" + safe(c.model()) + ".png");
            ChartFiles.save(scatter(c), png);
            out.add(png);
        }
        BoxChart box = new BoxChartBuilder().width(900).height(560).title("Word categorisation: " + r.categorisation().metric()
                + " silhouette per SemCat category").yAxisTitle("silhouette").build();
        for (SemanticResults.ModelSilhouettes m : r.categorisation().models())
            box.addSeries(m.model(), finite(m.perCategory().values().stream().mapToDouble(Double::doubleValue).toArray()));
        box.getStyler().setChartBackgroundColor(Color.WHITE);
        Path sil = dir.resolve("silhouette.png");
        ChartFiles.save(box, sil);
        out.add(sil);
        if (r.norms() != null && !r.norms().featuresPerType().isEmpty()) {
            BoxChart n = new BoxChartBuilder().width(Math.max(900, 120 * r.norms().featuresPerType().size() * r.models().size())).height(560)
                    .title("Semantic norms: F1 per feature").yAxisTitle("F1").build();
            n.getStyler().setChartBackgroundColor(Color.WHITE);
            for (String type : r.norms().featuresPerType().keySet())
                for (SemanticResults.ModelNorms m : r.norms().models()) {
                    double[] f1 = m.f1().entrySet().stream().filter(e -> typeOf(r, e.getKey()).equals(type))
                            .mapToDouble(e -> e.getValue()).toArray();
                    if (f1.length > 0) n.addSeries(type + " / " + m.model(), f1);
                }
            Path norms = dir.resolve("norms.png");
            ChartFiles.save(n, norms);
            out.add(norms);
        }
        return out;
    }

    private static String typeOf(SemanticResults r, String feature) {
        return r.norms().featureTypes().getOrDefault(feature, "untyped");
    }

    private static XYChart scatter(SemanticResults.Concreteness c) {
        XYChart chart = new XYChartBuilder().width(900).height(640)
                .title(String.format(java.util.Locale.ROOT, "%s: PC1 vs concreteness, r = %.3f (categories), %.3f (words)", c.model(), c.rCategory(), c.rWord()))
                .xAxisTitle("mean concreteness (Brysbaert); colour: blue abstract to red concrete; size: spread of PC1").yAxisTitle("mean PC1 score").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        List<SemanticResults.CategoryPoint> pts = c.points().stream()
                .filter(p -> Double.isFinite(p.meanPc1()) && Double.isFinite(p.meanConcreteness())).toList();
        double lo = pts.stream().mapToDouble(SemanticResults.CategoryPoint::meanConcreteness).min().orElse(0);
        double hi = pts.stream().mapToDouble(SemanticResults.CategoryPoint::meanConcreteness).max().orElse(1);
        double widest = pts.stream().mapToDouble(SemanticResults.CategoryPoint::stdPc1).filter(Double::isFinite).max().orElse(1);
        for (SemanticResults.CategoryPoint p : pts) {
            XYSeries s = chart.addSeries(p.category(), new double[]{p.meanConcreteness()}, new double[]{p.meanPc1()});
            double spread = Double.isFinite(p.stdPc1()) && widest > 0 ? p.stdPc1() / widest : 0;
            s.setMarker(new Disc(4 + 28 * spread));
            s.setMarkerColor(colour((p.meanConcreteness() - lo) / Math.max(1e-12, hi - lo)));
        }
        if (pts.size() >= 2 && Double.isFinite(c.slope())) {
            XYSeries line = chart.addSeries("least squares", new double[]{lo, hi},
                    new double[]{c.intercept() + c.slope() * lo, c.intercept() + c.slope() * hi});
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(Color.DARK_GRAY);
        }
        return chart;
    }

    /** A filled circle of its own diameter, whatever size the styler gives markers. */
    private static final class Disc extends Marker {
        private final double diameter;

        Disc(double diameter) { this.diameter = diameter; }

        @Override
        public void paint(Graphics2D g, double x, double y, int markerSize) {
            Color c = g.getColor();
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 170));
            g.fill(new Ellipse2D.Double(x - diameter / 2, y - diameter / 2, diameter, diameter));
        }
    }

    /** Blue (0) through purple to red (1). */
    static Color colour(double t) {
        double v = Math.max(0, Math.min(1, Double.isFinite(t) ? t : 0));
        return new Color((int) Math.round(40 + 200 * v), 60, (int) Math.round(230 - 190 * v));
    }

    private static double[] finite(double[] v) { return java.util.Arrays.stream(v).filter(Double::isFinite).toArray(); }

    static String safe(String name) { return name.replaceAll("[^A-Za-z0-9_.-]", "_"); }
}

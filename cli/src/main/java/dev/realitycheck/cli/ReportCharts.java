package dev.realitycheck.cli;

import dev.realitycheck.formats.ExperimentCells;
import dev.realitycheck.formats.LeaderboardCells;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.MetricSummary;
import dev.realitycheck.proto.v1.Split;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's plots, rendered headless to PNG with JFreeChart, in the Okabe-Ito colour-blind-safe
 * palette (its yellow left out: unreadable on white). Baselines are grey bars with a dashed
 * reference line across the chart, so they never read as one more loss; on the validation curves
 * each run is "loss, seed s" (colour per loss, dash per seed) and the checkpoint chosen on
 * validation is ringed.
 */
final class ReportCharts {

    /** Okabe &amp; Ito (2008), without yellow: blue, vermillion, bluish green, reddish purple, orange, sky blue, black. */
    static final List<Color> PALETTE = List.of(new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), Color.BLACK);

    /** Baseline bars and reference lines. */
    static final Color BASELINE = new Color(0x9E9E9E);

    private static final String MAP = "mean_average_precision_at_r";
    private static final float[][] DASHES = {null, {8f, 5f}, {2f, 4f}, {10f, 4f, 2f, 4f}};

    private ReportCharts() {
    }

    /**
     * Test MAP@R per row as bars with 95% CI error bars, in leaderboard order: losses in colour
     * (separated; concatenated beside it when the experiment runs more than one fold), baselines
     * grey, each baseline also a dashed reference line with its name; a row with pending runs
     * labelled with them ("ms (0/2, 2 pending)"), without a bar before its first evaluated run.
     */
    static void mapAtRBars(Leaderboard board, Path png) throws IOException {
        boolean concat = LeaderboardCells.showConcatenated(board);
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        Set<String> baselines = new HashSet<>();
        for (LeaderboardEntry e : board.getEntriesList()) {
            boolean pending = !e.getBaseline() && e.getRunsEvaluated() < e.getRunsTotal();
            // a row with pending runs says so under its bar (or in place of it, before its first evaluated run)
            String name = LeaderboardCells.rowName(e) + (pending ? " (" + LeaderboardCells.runs(e) + ")" : "");
            if (e.getBaseline()) {
                baselines.add(name);
            }
            if (pending && !e.getMetricsMap().containsKey(MAP)) {
                data.add(null, null, "separated", name);
            }
            add(data, e.getMetricsMap().get(MAP), "separated", name);
            if (concat) {
                add(data, e.getConcatenatedMetricsMap().get(MAP), "concatenated", name);
            }
        }
        CategoryAxis x = new CategoryAxis("row of the leaderboard");
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis y = new NumberAxis("test MAP@R, % (mean, 95% CI over seeds)");
        StatisticalBarRenderer bars = new StatisticalBarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                boolean baseline = baselines.contains((String) data.getColumnKey(column));
                return baseline ? BASELINE : PALETTE.get(row == 0 ? 0 : 4);
            }
        };
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setErrorIndicatorPaint(Color.BLACK);
        CategoryPlot plot = new CategoryPlot(data, x, y, bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        for (LeaderboardEntry e : board.getEntriesList()) {
            if (e.getBaseline() && e.getMetricsMap().containsKey(MAP)) {
                double v = 100 * e.getMetricsMap().get(MAP).getMean();
                ValueMarker line = new ValueMarker(v, BASELINE, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                line.setLabel(String.format(Locale.ROOT, "%s %.2f", LeaderboardCells.rowName(e), v));
                line.setLabelBackgroundColor(new Color(255, 255, 255, 220));
                line.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                line.setLabelPaint(new Color(0x555555));
                line.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                line.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
                plot.addRangeMarker(line);
            }
        }
        LegendItemCollection legend = new LegendItemCollection();
        Shape box = new Rectangle2D.Double(-6, -6, 12, 12);
        legend.add(new LegendItem(concat ? "loss, separated" : "loss", null, null, null, box, PALETTE.get(0)));
        if (concat) {
            legend.add(new LegendItem("loss, concatenated", null, null, null, box, PALETTE.get(4)));
        }
        if (!baselines.isEmpty()) {
            legend.add(new LegendItem("baseline (reference, dashed line)", null, null, null, box, BASELINE));
        }
        plot.setFixedLegendItems(legend);
        JFreeChart chart = new JFreeChart("Test MAP@R per loss — experiment " + board.getExperimentId(),
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
    }

    private static void add(DefaultStatisticalCategoryDataset data, MetricSummary s, String series, String category) {
        if (s != null) {
            // the renderer draws mean ± the "standard deviation" value: hand it the CI half-width
            data.add(100 * s.getMean(), s.hasCi95HalfWidth() ? 100 * s.getCi95HalfWidth() : 0, series, category);
        }
    }

    /**
     * Validation MAP@R against training iteration, one line per run labelled "loss, seed s" (fold
     * and trial added where they tell runs apart; baselines and concatenations left out), colour
     * per loss and dash per seed; the checkpoints the leaderboard chose on validation ringed black.
     */
    static void validationCurves(Leaderboard board, List<EvaluationResult> evaluations, Path png) throws IOException {
        List<EvaluationResult> validation = evaluations.stream()
                .filter(r -> r.getSplit() == Split.SPLIT_VALIDATION && !r.getBaseline() && !r.getConcatenated()
                        && r.hasMetrics() && r.getMetrics().hasMeanAveragePrecisionAtR())
                .sorted(Comparator.comparingLong(EvaluationResult::getIteration)).toList();
        boolean severalFolds = validation.stream().map(EvaluationResult::getFold).distinct().count() > 1;
        List<String> losses = new ArrayList<>(new TreeSet<>(validation.stream().map(EvaluationResult::getLossName).toList()));
        List<Long> seeds = new ArrayList<>(new TreeSet<>(validation.stream().map(EvaluationResult::getSeed).toList()));
        Map<String, EvaluationResult> firstOfRun = new TreeMap<>();
        Map<String, XYSeries> byRun = new TreeMap<>();
        for (EvaluationResult r : validation) {
            firstOfRun.putIfAbsent(r.getRunId(), r);
            byRun.computeIfAbsent(r.getRunId(), id -> new XYSeries(ExperimentCells.runLabel(r.getLossName(), r.getSeed(),
                            r.getFold(), severalFolds, r.hasTrial() ? r.getTrial() : null)))
                    .addOrUpdate(r.getIteration(), 100 * r.getMetrics().getMeanAveragePrecisionAtR());
        }
        Set<String> chosenIds = new HashSet<>();
        board.getEntriesList().forEach(e -> chosenIds.addAll(e.getCheckpointIdsList()));
        XYSeries chosen = new XYSeries("checkpoint chosen on validation", false, true);
        validation.stream().filter(r -> chosenIds.contains(r.getCheckpointId()))
                .forEach(r -> chosen.add(r.getIteration(), 100 * r.getMetrics().getMeanAveragePrecisionAtR()));
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        Map<String, XYSeries> ordered = new LinkedHashMap<>(byRun);
        int i = 0;
        for (Map.Entry<String, XYSeries> run : ordered.entrySet()) {
            EvaluationResult first = firstOfRun.get(run.getKey());
            data.addSeries(run.getValue());
            lines.setSeriesPaint(i, PALETTE.get(losses.indexOf(first.getLossName()) % PALETTE.size()));
            float[] dash = DASHES[seeds.indexOf(first.getSeed()) % DASHES.length];
            lines.setSeriesStroke(i, dash == null ? new BasicStroke(2f)
                    : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
            lines.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
            i++;
        }
        if (!chosen.isEmpty()) {
            data.addSeries(chosen);
            lines.setSeriesLinesVisible(i, false);
            lines.setSeriesShape(i, new Ellipse2D.Double(-8, -8, 16, 16));
            lines.setSeriesShapesFilled(i, false);
            lines.setSeriesPaint(i, Color.BLACK);
            lines.setSeriesOutlineStroke(i, new BasicStroke(2f));
            lines.setSeriesStroke(i, new BasicStroke(2f));
            lines.setUseOutlinePaint(false);
        }
        NumberAxis y = new NumberAxis("validation MAP@R, %");
        y.setAutoRangeIncludesZero(false); // the differences between runs are what matters here
        NumberAxis x = new NumberAxis("iteration");
        x.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, lines);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        JFreeChart chart = new JFreeChart("Validation MAP@R per run — experiment " + board.getExperimentId(),
                JFreeChart.DEFAULT_TITLE_FONT, plot, byRun.size() <= 24);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
    }
}

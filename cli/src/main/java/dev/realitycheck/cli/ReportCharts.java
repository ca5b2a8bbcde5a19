package dev.realitycheck.cli;

import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.MetricSummary;
import dev.realitycheck.proto.v1.Split;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's plots, rendered headless to PNG with JFreeChart. */
final class ReportCharts {

    private ReportCharts() {
    }

    /**
     * MAP@R per row (loss or baseline) as bars with 95% CI error bars, separated and (where
     * present) concatenated side by side; rows in leaderboard order.
     */
    static void mapAtRBars(Leaderboard board, Path png) throws IOException {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (LeaderboardEntry e : board.getEntriesList()) {
            String name = LeaderboardTable.rowName(e);
            add(data, e.getMetricsMap().get("mean_average_precision_at_r"), "separated", name);
            add(data, e.getConcatenatedMetricsMap().get("mean_average_precision_at_r"), "concatenated", name);
        }
        CategoryAxis x = new CategoryAxis("loss");
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis y = new NumberAxis("test MAP@R (mean, 95% CI over seeds)");
        StatisticalBarRenderer bars = new StatisticalBarRenderer();
        bars.setErrorIndicatorPaint(java.awt.Color.BLACK);
        CategoryPlot plot = new CategoryPlot(data, x, y, bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        JFreeChart chart = new JFreeChart("MAP@R per loss — experiment " + board.getExperimentId(),
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
    }

    private static void add(DefaultStatisticalCategoryDataset data, MetricSummary s, String series, String category) {
        if (s != null) {
            // the renderer draws mean ± the "standard deviation" value: hand it the CI half-width
            data.add(s.getMean(), s.hasCi95HalfWidth() ? s.getCi95HalfWidth() : 0, series, category);
        }
    }

    /** Validation MAP@R against training iteration, one line per run (baselines and concatenations left out). */
    static void validationCurves(String experimentId, List<EvaluationResult> evaluations, Path png) throws IOException {
        Map<String, XYSeries> byRun = new TreeMap<>();
        evaluations.stream()
                .filter(r -> r.getSplit() == Split.SPLIT_VALIDATION && !r.getBaseline() && !r.getConcatenated()
                        && r.hasMetrics() && r.getMetrics().hasMeanAveragePrecisionAtR())
                .sorted(Comparator.comparingLong(EvaluationResult::getIteration))
                .forEach(r -> byRun.computeIfAbsent(r.getRunId(), XYSeries::new)
                        .addOrUpdate(r.getIteration(), r.getMetrics().getMeanAveragePrecisionAtR()));
        XYSeriesCollection data = new XYSeriesCollection();
        byRun.values().forEach(data::addSeries);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        NumberAxis y = new NumberAxis("validation MAP@R");
        y.setAutoRangeIncludesZero(false); // the differences between runs are what matters here
        XYPlot plot = new XYPlot(data, new NumberAxis("iteration"), y, lines);
        JFreeChart chart = new JFreeChart("Validation MAP@R per run — experiment " + experimentId,
                JFreeChart.DEFAULT_TITLE_FONT, plot, byRun.size() <= 24);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
    }
}

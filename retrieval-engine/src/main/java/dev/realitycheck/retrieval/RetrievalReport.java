package dev.realitycheck.retrieval;

import java.util.List;
import java.util.Map;

/**
 * The result of one evaluation.
 *
 * @param metrics            each metric averaged over every evaluated query, in metric order;
 *                           {@code NaN} when no query could be evaluated (every query lone)
 * @param metricsPerClassAverage each metric averaged per class first, then over classes
 *                           (pytorch-metric-learning's {@code avg_of_avgs}); {@code NaN} likewise
 * @param perClass           per-class values, ordered by label
 * @param queries            all queries
 * @param loneQueries        queries with no reference of their label, left out of every metric
 * @param k                  neighbours retrieved per query
 * @param knnNanos           time spent in the exact kNN search
 */
public record RetrievalReport(Map<String, Double> metrics, Map<String, Double> metricsPerClassAverage,
                             List<ClassMetrics> perClass, int queries, int loneQueries, int k, long knnNanos) {

    public RetrievalReport {
        if (loneQueries < 0 || loneQueries > queries) {
            throw new IllegalArgumentException("lone queries " + loneQueries + " not within [0, " + queries + "]");
        }
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        metricsPerClassAverage =
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metricsPerClassAverage));
        perClass = List.copyOf(perClass);
    }

    /** Queries that entered the metrics. */
    public int evaluatedQueries() {
        return queries - loneQueries;
    }

    /** True when at least one query was evaluated, so the metrics are defined. */
    public boolean defined() {
        return evaluatedQueries() > 0;
    }

    /** One metric's overall value ({@code NaN} when undefined). */
    public double get(String metric) {
        Double v = metrics.get(metric);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + metric + "' in this report; have " + metrics.keySet());
        }
        return v;
    }
}

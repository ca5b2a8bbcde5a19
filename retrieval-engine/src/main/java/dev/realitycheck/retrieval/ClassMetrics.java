package dev.realitycheck.retrieval;

import java.util.Map;

/**
 * The metrics of one query class: each metric averaged over that class's evaluated queries.
 *
 * @param label   the class label
 * @param queries evaluated (non-lone) queries of this class, at least 1
 * @param r       references with this label that each query can retrieve
 * @param values  metric name to value
 */
public record ClassMetrics(int label, int queries, int r, Map<String, Double> values) {

    public ClassMetrics {
        if (queries < 1) {
            throw new IllegalArgumentException("a class result needs >= 1 evaluated query, got " + queries);
        }
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}

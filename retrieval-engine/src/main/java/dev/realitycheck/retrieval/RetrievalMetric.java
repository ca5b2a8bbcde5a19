package dev.realitycheck.retrieval;

import dev.realitycheck.knn.RankedRelevance;

/**
 * One retrieval metric, computed per query from the relevance of its ranked neighbours and
 * averaged by {@link RetrievalEvaluator}. A metric declares how many neighbours it needs, so the
 * evaluator can ask the kNN search for exactly enough (never silently too few).
 *
 * <p>Only queries with at least one relevant reference ({@code r >= 1}) are scored; "lone"
 * queries are left out of every average, as pytorch-metric-learning does.
 */
public interface RetrievalMetric {

    /** Stable snake_case name used as the key in reports and JSON (e.g. {@code "r_precision"}). */
    String name();

    /** How many nearest neighbours this metric reads for a query with {@code r} relevant references. */
    int neighboursNeeded(int r);

    /**
     * The metric's value for one query.
     *
     * @param relevant which of the query's nearest references have its label, as runs of ranks;
     *                 its {@code count()} is {@code min(k, rankable references)}, where k is at least
     *                 {@link #neighboursNeeded(int)} for this query's {@code r}
     * @param r        number of references with the query's label (the query itself excluded), {@code >= 1}
     */
    double value(RankedRelevance relevant, int r);
}

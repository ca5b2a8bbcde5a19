package dev.realitycheck.retrieval;

import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.knn.RelevanceSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes retrieval metrics with the semantics of pytorch-metric-learning's AccuracyCalculator:
 * exact kNN, the query excluded by index, lone queries (no reference of their label) left out of
 * every metric but kept as distractor references, undefined (NaN) metrics when every query is
 * lone, k always large enough for the largest class, exact ties by ascending reference index.
 *
 * <p>Per-query values are computed as each query's neighbours become final, so memory stays
 * bounded by the kNN blocks, not by queries x k.
 */
public final class RetrievalEvaluator {

    private final ExactKnn knn;
    private final List<RetrievalMetric> metrics;

    /**
     * @param knn     the exact search (carries the distance and thread count)
     * @param metrics what to compute, in report order; names must be unique
     */
    public RetrievalEvaluator(ExactKnn knn, List<RetrievalMetric> metrics) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("at least one metric is required");
        }
        long distinct = metrics.stream().map(RetrievalMetric::name).distinct().count();
        if (distinct != metrics.size()) {
            throw new IllegalArgumentException("metric names must be unique, got " + metrics.stream().map(RetrievalMetric::name).toList());
        }
        this.knn = knn;
        this.metrics = List.copyOf(metrics);
    }

    /** The paper's metrics: P@1, R-Precision, MAP@R, and Recall@K for each of {@code recallKs}. */
    public static List<RetrievalMetric> standardMetrics(int... recallKs) {
        List<RetrievalMetric> list = new ArrayList<>(List.of(new PrecisionAtOne(), new RPrecision(),
                new MeanAveragePrecisionAtR()));
        Arrays.stream(recallKs).distinct().sorted().forEach(k -> list.add(new RecallAtK(k)));
        return list;
    }

    /** Convenience: {@link #standardMetrics} with all processors as threads. */
    public static RetrievalEvaluator standard(KnnDistance distance, int... recallKs) {
        return new RetrievalEvaluator(new ExactKnn(distance, Runtime.getRuntime().availableProcessors()),
                standardMetrics(recallKs));
    }

    public List<RetrievalMetric> metrics() {
        return metrics;
    }

    /** Runs the search and computes every metric. */
    public RetrievalReport evaluate(RetrievalTask task) {
        int nq = task.queries().rows();
        boolean selfExcluded = task.mode() != ReferenceMode.SEPARATE;
        Map<Integer, Integer> refCounts = new HashMap<>();
        for (int label : task.referenceLabels()) {
            refCounts.merge(label, 1, Integer::sum);
        }
        int[] r = new int[nq];
        int lone = 0;
        int maxR = 0;
        for (int q = 0; q < nq; q++) {
            r[q] = refCounts.getOrDefault(task.queryLabels()[q], 0) - (selfExcluded ? 1 : 0);
            if (r[q] <= 0) {
                r[q] = 0;
                lone++;
            }
            maxR = Math.max(maxR, r[q]);
        }
        double[][] perQuery = new double[metrics.size()][nq];
        int k = 0;
        long knnNanos = 0;
        if (lone < nq) {
            for (RetrievalMetric m : metrics) {
                k = Math.max(k, m.neighboursNeeded(maxR));
            }
            // never more than a query can rank (the kNN search caps it the same way)
            k = Math.max(1, Math.min(k, task.references().rows() - (selfExcluded ? 1 : 0)));
            int[] refLabels = task.referenceLabels();
            int[] queryLabels = task.queryLabels();
            RelevanceSink scorer = (q, relevant, count) -> {
                if (r[q] == 0) {
                    return;
                }
                for (int m = 0; m < metrics.size(); m++) {
                    perQuery[m][q] = metrics.get(m).value(relevant, count, r[q]);
                }
            };
            long start = System.nanoTime();
            switch (task.mode()) {
                case SAME -> knn.searchSelf(task.queries(), queryLabels, k, scorer);
                case SEPARATE -> knn.search(task.queries(), queryLabels, task.references(), refLabels, null, k, scorer);
                case QUERY_PREFIX -> {
                    int[] self = new int[nq];
                    Arrays.setAll(self, i -> i);
                    knn.search(task.queries(), queryLabels, task.references(), refLabels, self, k, scorer);
                }
            }
            knnNanos = System.nanoTime() - start;
        }
        return summarise(task.queryLabels(), r, lone, perQuery, k, knnNanos);
    }

    private RetrievalReport summarise(int[] queryLabels, int[] r, int lone, double[][] perQuery, int k,
                                      long knnNanos) {
        int nq = queryLabels.length;
        // label -> {count, R}, sorted by label
        TreeMap<Integer, int[]> classes = new TreeMap<>();
        for (int q = 0; q < nq; q++) {
            if (r[q] > 0) {
                int[] c = classes.computeIfAbsent(queryLabels[q], l -> new int[2]);
                c[0]++;
                c[1] = r[q];
            }
        }
        Map<Integer, Integer> classIndex = new HashMap<>();
        for (Integer label : classes.keySet()) {
            classIndex.put(label, classIndex.size());
        }
        Map<String, Double> overall = new LinkedHashMap<>();
        Map<String, Double> classAverage = new LinkedHashMap<>();
        double[][] classSums = new double[metrics.size()][classes.size()];
        for (int m = 0; m < metrics.size(); m++) {
            double sum = 0;
            for (int q = 0; q < nq; q++) {
                if (r[q] > 0) {
                    sum += perQuery[m][q];
                    classSums[m][classIndex.get(queryLabels[q])] += perQuery[m][q];
                }
            }
            int evaluated = nq - lone;
            overall.put(metrics.get(m).name(), evaluated > 0 ? sum / evaluated : Double.NaN);
            double avg = 0;
            int c = 0;
            for (int[] counts : classes.values()) {
                avg += classSums[m][c++] / counts[0];
            }
            classAverage.put(metrics.get(m).name(), classes.isEmpty() ? Double.NaN : avg / classes.size());
        }
        List<ClassMetrics> perClass = new ArrayList<>();
        int c = 0;
        for (Map.Entry<Integer, int[]> e : classes.entrySet()) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (int m = 0; m < metrics.size(); m++) {
                values.put(metrics.get(m).name(), classSums[m][c] / e.getValue()[0]);
            }
            perClass.add(new ClassMetrics(e.getKey(), e.getValue()[0], e.getValue()[1], values));
            c++;
        }
        return new RetrievalReport(overall, classAverage, perClass, nq, lone, k, knnNanos);
    }
}

package dev.realitycheck.retrieval;

import dev.realitycheck.knn.Embeddings;
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

    /** Runs the search and computes every metric: {@link #combine} of one block holding every query. */
    public RetrievalReport evaluate(RetrievalTask task) {
        return combine(task.queryLabels(), task.referenceLabels(), task.mode(),
                List.of(scoreBlock(task, 0, task.queries().rows())));
    }

    /**
     * Scores the queries {@code [from, to)} against the whole reference set: each query's metric
     * values, exactly as {@link #evaluate} computes them (the same k, the same relevant counts,
     * taken from every label of the task), so that {@link #combine} of blocks covering every query
     * equals {@link #evaluate} bit for bit. The whole range with query = reference takes the
     * symmetric search; a part streams its query rows against every reference, excluding each
     * query's own row.
     */
    public BlockScores scoreBlock(RetrievalTask task, int from, int to) {
        int nq = task.queries().rows();
        if (from < 0 || to <= from || to > nq) {
            throw new IllegalArgumentException("block [" + from + ", " + to + ") not within the " + nq + " queries");
        }
        Relevance relevance = relevance(task.queryLabels(), task.referenceLabels(), task.mode());
        int[] r = relevance.r;
        double[][] values = new double[metrics.size()][to - from];
        long knnNanos = 0;
        if (relevance.lone < nq) {
            int k = relevance.k;
            int[] refLabels = task.referenceLabels();
            int[] queryLabels = task.queryLabels();
            RelevanceSink scorer = (local, relevant) -> {
                int q = from + local;
                if (r[q] == 0) {
                    return;
                }
                for (int m = 0; m < metrics.size(); m++) {
                    values[m][local] = metrics.get(m).value(relevant, r[q]);
                }
            };
            boolean whole = from == 0 && to == nq;
            Embeddings queries = whole ? task.queries() : task.queries().slice(from, to);
            long start = System.nanoTime();
            int[] blockLabels = whole ? queryLabels : Arrays.copyOfRange(queryLabels, from, to);
            if (task.mode() == ReferenceMode.SAME && whole) {
                knn.searchSelf(task.queries(), queryLabels, k, scorer);
            } else if (task.mode() == ReferenceMode.SEPARATE) {
                knn.search(queries, blockLabels, task.references(), refLabels, null, k, scorer);
            } else {
                // SAME on a part, or QUERY_PREFIX: query q's own row is reference q
                int[] self = new int[to - from];
                Arrays.setAll(self, i -> from + i);
                knn.search(queries, blockLabels, task.references(), refLabels, self, k, scorer);
            }
            knnNanos = System.nanoTime() - start;
        }
        return new BlockScores(from, to, values, knnNanos);
    }

    /**
     * Combines blocks of scores that cover every query exactly once (in any order) into the
     * report {@link #evaluate} gives, bit for bit: the values are laid out in query order and
     * summed in that order. Only the labels are needed, so whoever combines need not hold the
     * embeddings. The report's kNN time is the sum of the blocks' times.
     *
     * @throws IllegalArgumentException when blocks overlap, leave a gap, or have another metric count
     */
    public RetrievalReport combine(int[] queryLabels, int[] referenceLabels, ReferenceMode mode,
                                   List<BlockScores> blocks) {
        int nq = queryLabels.length;
        List<BlockScores> ordered = new ArrayList<>(blocks);
        ordered.sort(java.util.Comparator.comparingInt(BlockScores::from));
        double[][] perQuery = new double[metrics.size()][nq];
        int next = 0;
        long knnNanos = 0;
        for (BlockScores block : ordered) {
            if (block.from() != next || block.to() > nq) {
                throw new IllegalArgumentException("blocks must cover the " + nq + " queries once each: expected one from "
                        + next + ", got [" + block.from() + ", " + block.to() + ")");
            }
            if (block.values().length != metrics.size()) {
                throw new IllegalArgumentException("block [" + block.from() + ", " + block.to() + ") has "
                        + block.values().length + " metrics, this evaluator computes " + metrics.size());
            }
            for (int m = 0; m < metrics.size(); m++) {
                System.arraycopy(block.values()[m], 0, perQuery[m], block.from(), block.size());
            }
            knnNanos += block.knnNanos();
            next = block.to();
        }
        if (next != nq) {
            throw new IllegalArgumentException("blocks cover queries [0, " + next + ") of " + nq);
        }
        Relevance relevance = relevance(queryLabels, referenceLabels, mode);
        return summarise(queryLabels, relevance.r, relevance.lone, perQuery,
                relevance.lone < nq ? relevance.k : 0, knnNanos);
    }

    /** Per query, how many references share its label (0: lone); and the k every query is searched with. */
    private record Relevance(int[] r, int lone, int k) {
    }

    private Relevance relevance(int[] queryLabels, int[] referenceLabels, ReferenceMode mode) {
        int nq = queryLabels.length;
        boolean selfExcluded = mode != ReferenceMode.SEPARATE;
        Map<Integer, Integer> refCounts = new HashMap<>();
        for (int label : referenceLabels) {
            refCounts.merge(label, 1, Integer::sum);
        }
        int[] r = new int[nq];
        int lone = 0;
        int maxR = 0;
        for (int q = 0; q < nq; q++) {
            r[q] = refCounts.getOrDefault(queryLabels[q], 0) - (selfExcluded ? 1 : 0);
            if (r[q] <= 0) {
                r[q] = 0;
                lone++;
            }
            maxR = Math.max(maxR, r[q]);
        }
        int k = 0;
        for (RetrievalMetric m : metrics) {
            k = Math.max(k, m.neighboursNeeded(maxR));
        }
        // never more than a query can rank (the kNN search caps it the same way)
        k = Math.max(1, Math.min(k, referenceLabels.length - (selfExcluded ? 1 : 0)));
        return new Relevance(r, lone, k);
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

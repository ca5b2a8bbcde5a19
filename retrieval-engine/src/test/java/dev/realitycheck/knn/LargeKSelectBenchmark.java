package dev.realitycheck.knn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (prints numbers, asserts only that both paths agree): the large-k path on the demo's
 * shape, 35,000 x 64 embeddings in 5 classes of 7,000 (so k = R = 6,999), cosine, every item
 * querying all others, 2 threads, {@link RowSelectWorker.Selection#QUICKSELECT} (the previous
 * method) against {@link RowSelectWorker.Selection#RADIX} in the same JVM, warmed up. Besides the
 * evaluation's wall time it times the row selection alone on 2,000 real rows, so the selection's
 * share of the wall time can be read off. Run with
 * {@code ./mvnw -B -o -q verify -pl retrieval-engine -Drealitycheck.excluded-groups=none -Dtest=LargeKSelectBenchmark}.
 */
@Tag("benchmark")
class LargeKSelectBenchmark {

    static final int N = 35_000;
    static final int DIM = 64;
    static final int CLASSES = 5;
    static final int THREADS = 2;

    /** Clustered data, rows grouped by class (as real test sets are), fixed seed. */
    static Embeddings demoShape(int[] labels) {
        Random random = new Random(42);
        float[][] centres = new float[CLASSES][DIM];
        for (float[] c : centres) {
            for (int j = 0; j < DIM; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        float[] v = new float[N * DIM];
        for (int i = 0; i < N; i++) {
            labels[i] = i * CLASSES / N;
            for (int j = 0; j < DIM; j++) {
                v[i * DIM + j] = centres[labels[i]][j] + 1.2f * (float) random.nextGaussian();
            }
        }
        return new Embeddings(v, N, DIM);
    }

    @Test
    void quickselectAgainstRadixOnTheDemoShape() {
        int[] labels = new int[N];
        Embeddings e = demoShape(labels);
        RetrievalTask task = RetrievalTask.sameSet(e, labels);
        System.out.printf(Locale.ROOT, "large-k selection: %,d x %d, %d classes, cosine, %d threads, %s kernel, Java %s%n",
                N, DIM, CLASSES, THREADS, DotKernel.best().description(), Runtime.version());
        double[] map = new double[2];
        RowSelectWorker.Selection[] order = {RowSelectWorker.Selection.QUICKSELECT, RowSelectWorker.Selection.RADIX};
        for (int round = 0; round < 3; round++) { // round 0 warms up
            for (int s = 0; s < order.length; s++) {
                ExactKnn knn = new ExactKnn(KnnDistance.COSINE, THREADS, DotKernel.best(), 256L << 20, order[s]);
                RetrievalEvaluator evaluator = new RetrievalEvaluator(knn, RetrievalEvaluator.standardMetrics(1));
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                RetrievalReport report = evaluator.evaluate(task);
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpuPerQuery = (processCpuNanos() - cpu0) / 1e3 / N;
                map[s] = report.get("mean_average_precision_at_r");
                double perRow = selectionMicros(e, order[s], report.k());
                double share = perRow * 1e-6 * N / THREADS / wall;
                System.out.printf(Locale.ROOT, "%s round %d %-11s: wall %.2f s (kNN %.2f s), process CPU %.1f us/query, "
                                + "k = %d, MAP@R %.6f | selection alone %.1f us/row thread CPU = %.2f s on %d threads, "
                                + "%.0f%% of the wall%n",
                        round == 0 ? "warm-up" : "       ", round, order[s], wall, report.knnNanos() / 1e9,
                        cpuPerQuery, report.k(), map[s], perRow, perRow * 1e-6 * N / THREADS, THREADS, 100 * share);
            }
            assertThat(map[1]).isEqualTo(map[0]);
        }
    }

    /** CPU time of every thread of this JVM so far (the evaluation's workers, GC and JIT included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Mean thread CPU time to pick one row's k best, over 2,000 rows of real (cosine) sortable
     * keys (thread CPU, not wall: less disturbed by other processes on a shared machine).
     */
    private static double selectionMicros(Embeddings e, RowSelectWorker.Selection selection, int k) {
        Embeddings u = e.l2Normalized();
        int rows = 2_000;
        int[] keys = new int[N];
        int[][] all = new int[rows][];
        for (int r = 0; r < rows; r++) {
            int q = r * (N / rows);
            for (int j = 0; j < N; j++) {
                float dot = 0;
                for (int c = 0; c < DIM; c++) {
                    dot = Math.fma(u.get(q, c), u.get(j, c), dot);
                }
                keys[j] = j == q ? Integer.MAX_VALUE : NeighbourHeaps.sortable(dot);
            }
            all[r] = keys.clone();
        }
        int[] indices = new int[k];
        int[] winners = new int[k];
        long[] rowKeys = new long[N];
        RadixTopK radix = new RadixTopK(RowKernel.best());
        long t0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long check = 0;
        for (int r = 0; r < rows; r++) {
            int q = r * (N / rows);
            if (selection == RowSelectWorker.Selection.RADIX) {
                radix.smallestSorted(all[r], 0, N, k, indices, winners);
                check += indices[k - 1];
            } else {
                for (int j = 0; j < N; j++) {
                    rowKeys[j] = ((long) all[r][j] << 32) | j;
                }
                rowKeys[q] = rowKeys[N - 1];
                LongSelect.smallestFirst(rowKeys, 0, N - 1, k);
                Arrays.sort(rowKeys, 0, k);
                check += NeighbourHeaps.indexOf(rowKeys[k - 1]);
            }
        }
        double micros = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - t0) / 1e3 / rows;
        assertThat(check).isNotNegative();
        return micros;
    }
}

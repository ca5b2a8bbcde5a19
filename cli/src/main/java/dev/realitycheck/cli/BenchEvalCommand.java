package dev.realitycheck.cli;

import dev.realitycheck.data.Npy;
import dev.realitycheck.data.SyntheticClusters;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck bench-eval}: wall time and peak memory of a full retrieval evaluation
 * (exact kNN + every metric) on generated clustered data at two real test-set sizes.
 */
@Command(name = "bench-eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark the evaluation engine on generated clustered data of a real test set's shape.",
                "Shapes:",
                "  sop: Stanford Online Products test size, 60,502 x 512, 11,316 classes of 2-12 (query = reference)",
                "  cub: CUB-200-2011 test size, 5,924 x 128, 100 classes of 41-60 (query = reference)",
                "  60k: 60,000 x 128, 600 classes of 24-150 (query = reference; k = 125, the largest class's R at",
                "       seed 42: the candidate path at a quarter of the 250,000-row shape's references)",
                "  200k: 200,000 x 128, 2,000 classes of 50-150 (query = reference; issue 17's split benchmark)",
                "With --workers N,...: each size split over N local worker processes (evaluate --workers),",
                "printing every worker's CPU time, the wall time, and whether the result equals the first N's.",
                "Prints wall time, kNN time, effective GFLOP/s, the process's CPU time per (query, reference) pair",
                "and its peak resident memory."})
public class BenchEvalCommand implements Callable<Integer> {

    /** One benchmark shape. */
    record Size(String name, int rows, int dim, int classes, int minSize, int maxSize, double noise) {
    }

    static final List<Size> SIZES = List.of(
            new Size("cub", 5_924, 128, 100, 41, 60, 1.6),
            new Size("sop", 60_502, 512, 11_316, 2, 12, 2.2),
            new Size("60k", 60_000, 128, 600, 24, 150, 1.6),
            new Size("200k", 200_000, 128, 2_000, 50, 150, 1.6));

    @Spec
    CommandSpec spec;

    @Option(names = "--size", split = ",", defaultValue = "cub,sop", paramLabel = "cub|sop|60k|200k",
            description = "sizes to run, in order: cub, sop, 60k, 200k (default: ${DEFAULT-VALUE})")
    List<String> sizes;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1", description = "evaluations per size (default: 1)")
    int repeat;

    @Option(names = "--distance", defaultValue = "cosine", converter = DistanceConverter.class,
            description = "default: ${DEFAULT-VALUE}")
    KnnDistance distance;

    @Option(names = "--workers", split = ",", paramLabel = "N,...",
            description = "split each evaluation over N worker processes, for each N (--threads shared among them)")
    List<Integer> workers;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ExactKnn knn = new ExactKnn(distance, threads);
        out.printf(Locale.ROOT, "engine: exact kNN, %s kernel, %d threads, %s distance, Java %s, %d processors%n",
                knn.kernel().description(), threads, distance.id(), Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        for (String name : sizes) {
            Size size = SIZES.stream().filter(s -> s.name().equals(name.trim())).findFirst()
                    .orElseThrow(() -> new InputException("--size: unknown size '" + name + "' (cub, sop, 60k, 200k)"));
            long g0 = System.nanoTime();
            SyntheticClusters data = SyntheticClusters.generate(size.rows(), size.dim(), size.classes(),
                    size.minSize(), size.maxSize(), size.noise(), 42);
            double generate = (System.nanoTime() - g0) / 1e9;
            if (workers != null) {
                benchWorkers(out, size, data);
                continue;
            }
            resetPeakMemory();
            RetrievalEvaluator evaluator = new RetrievalEvaluator(knn, RetrievalEvaluator.standardMetrics(1, 2, 4, 8));
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            for (int r = 0; r < repeat; r++) {
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                RetrievalReport report = evaluator.evaluate(RetrievalTask.sameSet(data.embeddings(), data.labels()));
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpuPerPair = (os.getProcessCpuTime() - cpu0) / ((double) size.rows() * size.rows());
                double knnSeconds = report.knnNanos() / 1e9;
                // with query = reference the engine computes each pair once: n^2 * dim multiply-adds
                double gflops = 2.0 * size.rows() * (double) size.rows() * size.dim() / 2 / knnSeconds / 1e9;
                out.printf(Locale.ROOT,
                        "%s: %,d x %d, %,d classes | wall %.2f s (kNN %.2f s, %.0f GFLOP/s effective) | "
                                + "CPU %.2f ns per pair | peak RSS %s | MAP@R %.4f, P@1 %.4f, k = %d | load %.1f | "
                                + "data generated in %.1f s%n",
                        size.name(), size.rows(), size.dim(), size.classes(), wall, knnSeconds, gflops, cpuPerPair,
                        peakMemory(), report.get("mean_average_precision_at_r"), report.get("precision_at_1"),
                        report.k(), os.getSystemLoadAverage(), generate);
                out.flush();
            }
        }
        return 0;
    }

    /**
     * The split evaluation: the data as .npy files, then for each worker count one evaluation over
     * worker processes, combined; every combined report must equal the first one (bit for bit).
     */
    private void benchWorkers(PrintWriter out, Size size, SyntheticClusters data) {
        int[] recallAt = {1, 2, 4, 8};
        RetrievalEvaluator combiner = new RetrievalEvaluator(new ExactKnn(distance, 1),
                RetrievalEvaluator.standardMetrics(recallAt));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("realitycheck-bench-split");
            Path q = dir.resolve("embeddings.npy");
            Path l = dir.resolve("labels.npy");
            Npy.writeFloatMatrix(q, data.embeddings().rows(), data.embeddings().dim(), data.embeddings().values());
            Npy.writeLabels(l, data.labels());
            RetrievalReport first = null;
            for (int n : workers) {
                int perWorker = Math.max(1, threads / n);
                long t0 = System.nanoTime();
                List<LocalWorkers.Result> results = LocalWorkers.run(size.rows(), n,
                        i -> LocalWorkers.arguments(q, l, distance, perWorker, recallAt));
                RetrievalReport report = combiner.combine(data.labels(), data.labels(),
                        dev.realitycheck.retrieval.ReferenceMode.SAME,
                        results.stream().map(LocalWorkers.Result::scores).toList());
                double wall = (System.nanoTime() - t0) / 1e9;
                boolean equal = first == null || (report.metrics().equals(first.metrics())
                        && report.metricsPerClassAverage().equals(first.metricsPerClassAverage())
                        && report.perClass().equals(first.perClass()));
                if (first == null) {
                    first = report;
                }
                StringBuilder cpu = new StringBuilder();
                double cpuTotal = 0;
                for (LocalWorkers.Result r : results) {
                    cpu.append(cpu.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%.1f", r.cpuNanos() / 1e9));
                    cpuTotal += r.cpuNanos() / 1e9;
                }
                out.printf(Locale.ROOT, "%s: %,d x %d, %d worker process(es) x %d thread(s) | wall %.1f s | CPU per worker %s s"
                                + " (sum %.1f s) | MAP@R %.6f, k = %d | equal to %d worker(s): %s%n",
                        size.name(), size.rows(), size.dim(), n, perWorker, wall, cpu, cpuTotal,
                        report.get("mean_average_precision_at_r"), report.k(), workers.get(0), equal ? "yes" : "NO");
                out.flush();
            }
        } catch (IOException e) {
            throw new InputException("bench-eval --workers: " + e.getMessage());
        } finally {
            if (dir != null) {
                for (String f : new String[] {"embeddings.npy", "labels.npy", ""}) {
                    dir.resolve(f).toFile().delete();
                }
            }
        }
    }

    /** Resets the kernel's peak-RSS counter (Linux), so each size reports its own peak. */
    private static void resetPeakMemory() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux, or not allowed: the peak then covers the whole process
        }
    }

    /** VmHWM of this process (peak resident set), or "n/a" where /proc is missing. */
    static String peakMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return "n/a";
    }
}

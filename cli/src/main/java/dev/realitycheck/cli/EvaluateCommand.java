package dev.realitycheck.cli;

import dev.realitycheck.data.Npy;
import dev.realitycheck.data.NpyArray;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck evaluate}: retrieval metrics for embeddings and labels exported as NumPy
 * {@code .npy} files, with pytorch-metric-learning's semantics.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"MAP@R, R-Precision, Precision@1 and Recall@K of embeddings (.npy) by exact kNN.",
                "Without --reference every embedding queries all the others (never itself)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:metrics printed", "2:bad input (file, dtype, shape, label count, NaN/Inf)"})
public class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EMBEDDINGS", description = "2-D float32/float64 .npy, one row per item")
    Path embeddings;

    @Parameters(index = "1", paramLabel = "LABELS", description = "1-D integer .npy, one label per row")
    Path labels;

    @Option(names = "--reference", paramLabel = "FILE",
            description = "separate reference embeddings (.npy); the EMBEDDINGS are then only queries")
    Path reference;

    @Option(names = "--reference-labels", paramLabel = "FILE", description = "labels of --reference")
    Path referenceLabels;

    @Option(names = "--reference-includes-queries",
            description = "the first rows of --reference are the queries themselves: each query skips its own row")
    boolean referenceIncludesQueries;

    @Option(names = "--distance", paramLabel = "cosine|euclidean", defaultValue = "cosine",
            converter = DistanceConverter.class, description = "default: ${DEFAULT-VALUE}")
    KnnDistance distance;

    @Option(names = "--recall-at", paramLabel = "K,...", split = ",", defaultValue = "1,2,4,8",
            description = "Recall@K for each K (default: ${DEFAULT-VALUE})")
    int[] recallAt;

    @Option(names = "--per-class", description = "also print every class's metrics")
    boolean perClass;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            RetrievalTask task = readTask();
            for (int k : recallAt) {
                if (k < 1) {
                    throw new InputException("--recall-at: K must be >= 1, got " + k);
                }
            }
            if (threads < 1) {
                throw new InputException("--threads must be >= 1, got " + threads);
            }
            RetrievalEvaluator evaluator = new RetrievalEvaluator(new ExactKnn(distance, threads),
                    RetrievalEvaluator.standardMetrics(recallAt));
            RetrievalReport report = evaluator.evaluate(task);
            if (json) {
                out.println(ReportPrinter.json(report, perClass));
            } else {
                out.print(ReportPrinter.table(report, distance, perClass));
            }
            out.flush();
            return 0;
        } catch (InputException e) {
            spec.commandLine().getErr().println("realitycheck evaluate: " + e.getMessage());
            return InputException.EXIT_CODE;
        }
    }

    private RetrievalTask readTask() {
        if ((reference == null) != (referenceLabels == null)) {
            throw new InputException("--reference and --reference-labels go together");
        }
        if (referenceIncludesQueries && reference == null) {
            throw new InputException("--reference-includes-queries needs --reference");
        }
        Embeddings queries = readEmbeddings(embeddings);
        int[] queryLabels = readLabels(labels, queries.rows(), embeddings);
        if (reference == null) {
            return RetrievalTask.sameSet(queries, queryLabels);
        }
        Embeddings refs = readEmbeddings(reference);
        int[] refLabels = readLabels(referenceLabels, refs.rows(), reference);
        if (refs.dim() != queries.dim()) {
            throw new InputException(reference + ": embeddings have " + refs.dim() + " columns but "
                    + embeddings + " has " + queries.dim());
        }
        if (referenceIncludesQueries) {
            if (refs.rows() < queries.rows()) {
                throw new InputException(reference + ": has " + refs.rows() + " rows, fewer than the "
                        + queries.rows() + " queries it should start with");
            }
            return RetrievalTask.queryPrefix(queries, queryLabels, refs, refLabels);
        }
        return RetrievalTask.separate(queries, queryLabels, refs, refLabels);
    }

    /** Reads and checks a 2-D float matrix; every failure names the file. */
    static Embeddings readEmbeddings(Path file) {
        NpyArray array;
        try {
            array = Npy.readFloatMatrix(file);
        } catch (IOException e) {
            throw new InputException(describe(file, e));
        }
        if (array.rows() == 0 || array.cols() == 0) {
            throw new InputException(file + ": no embeddings (shape " + array.rows() + " x " + array.cols() + ")");
        }
        Embeddings e = new Embeddings(array.asFloatMatrix(), array.rows(), array.cols());
        int[] bad = e.firstNonFinite();
        if (bad != null) {
            throw new InputException(file + ": non-finite value " + e.get(bad[0], bad[1]) + " at row " + bad[0]
                    + ", column " + bad[1]);
        }
        return e;
    }

    /** Reads 1-D integer labels and checks there is one per embedding row. */
    static int[] readLabels(Path file, int rows, Path embeddingsFile) {
        int[] labels;
        try {
            labels = Npy.readLabels(file);
        } catch (IOException e) {
            throw new InputException(describe(file, e));
        }
        if (labels.length != rows) {
            throw new InputException(file + ": " + labels.length + " labels, but " + embeddingsFile + " has "
                    + rows + " rows");
        }
        return labels;
    }

    private static String describe(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return file + ": no such file";
        }
        if (e instanceof AccessDeniedException) {
            return file + ": permission denied";
        }
        if (e instanceof dev.realitycheck.data.DataFileException) {
            return e.getMessage();
        }
        return file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}

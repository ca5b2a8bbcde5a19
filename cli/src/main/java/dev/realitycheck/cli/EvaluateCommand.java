package dev.realitycheck.cli;

import dev.realitycheck.data.Npy;
import dev.realitycheck.data.NpyArray;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.retrieval.BlockScores;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--threads", paramLabel = "N",
            description = "threads in all, shared among the --workers (default: all processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = {"split the queries over N local worker processes, each scoring its block against every",
                    "reference; the result is the same as with 1 (default: ${DEFAULT-VALUE}: in this process)"})
    int workers;

    /** Worker mode (set by {@link LocalWorkers}): score only queries FROM..TO-1. */
    @Option(names = "--block", paramLabel = "FROM,TO", split = ",", hidden = true)
    int[] block;

    /** Worker mode: where the block's scores go. */
    @Option(names = "--block-output", paramLabel = "FILE", hidden = true)
    Path blockOutput;

    /**
     * The command without Quarkus, which it does not need: how {@code bin/realitycheck evaluate}
     * runs it (a plain JVM on a short class path, from its own class archive; see {@code bin/jdk.sh})
     * and how a worker process runs ({@link LocalWorkers}).
     */
    public static void main(String[] args) {
        int exit = commandLine().execute(args);
        // on success main just returns (the search threads have ended): System.exit would first set up
        // System.Logger for its exit event, 59 classes and about 6 ms of a 0.5 s run
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /**
     * The command line of {@link #main}, named as users type it (usage and errors say "realitycheck evaluate").
     * It also takes the client options every subcommand inherits from {@link RealityCheckCommand}
     * ({@code --token}, {@code --tls-ca}; hidden) and ignores them, as the Quarkus command does for
     * evaluate, which reads only local files: so {@code bin/realitycheck} runs every evaluate this way.
     */
    static picocli.CommandLine commandLine() {
        picocli.CommandLine line = new picocli.CommandLine(new EvaluateCommand()).setCommandName("realitycheck evaluate");
        for (String clientOption : new String[] {"--token", "--tls-ca"}) {
            line.getCommandSpec().addOption(picocli.CommandLine.Model.OptionSpec.builder(clientOption)
                    .arity("1").type(String.class).hidden(true).build());
        }
        return line;
    }

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
            if (workers < 1) {
                throw new InputException("--workers must be >= 1, got " + workers);
            }
            if (block != null) {
                return scoreBlock(task);
            }
            RetrievalEvaluator evaluator = evaluator(threads);
            RetrievalReport report;
            if (workers == 1) {
                report = evaluator.evaluate(task);
            } else {
                List<BlockScores> blocks = new ArrayList<>();
                for (LocalWorkers.Result r : LocalWorkers.run(task.queries().rows(), workers, i -> workerArguments())) {
                    blocks.add(r.scores());
                }
                report = evaluator.combine(task.queryLabels(), task.referenceLabels(), task.mode(), blocks);
            }
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

    /** One search per process (also in worker mode): the engine's {@link ExactKnn#oneShot()} path choice. */
    private RetrievalEvaluator evaluator(int threadCount) {
        return new RetrievalEvaluator(new ExactKnn(distance, threadCount).oneShot(),
                RetrievalEvaluator.standardMetrics(recallAt));
    }

    /** A worker's arguments: the same inputs and metrics, its share of the threads. */
    private List<String> workerArguments() {
        List<String> args = LocalWorkers.arguments(embeddings, labels, distance, Math.max(1, threads / workers), recallAt);
        if (reference != null) {
            args.addAll(List.of("--reference", reference.toString(), "--reference-labels", referenceLabels.toString()));
        }
        if (referenceIncludesQueries) {
            args.add("--reference-includes-queries");
        }
        return args;
    }

    /** Worker mode: scores the block, writes it to --block-output, prints this process's CPU time. */
    private int scoreBlock(RetrievalTask task) {
        if (block.length != 2 || blockOutput == null) {
            throw new InputException("--block FROM,TO goes with --block-output FILE");
        }
        BlockScores scores;
        try {
            scores = evaluator(threads).scoreBlock(task, block[0], block[1]);
        } catch (IllegalArgumentException e) {
            throw new InputException("--block: " + e.getMessage());
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(blockOutput)))) {
            scores.writeTo(out);
        } catch (IOException e) {
            throw new InputException(describe(blockOutput, e));
        }
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        PrintWriter out = spec.commandLine().getOut();
        out.println(LocalWorkers.CPU_LINE + cpu);
        out.flush();
        return 0;
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

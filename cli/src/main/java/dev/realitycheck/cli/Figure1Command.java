package dev.realitycheck.cli;

import dev.realitycheck.data.ToyLayouts;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck figure1}: the paper's Figure 1 with this project's metrics: three two-class
 * layouts ({@link ToyLayouts}) on which Precision@1 is perfect while MAP@R tells them apart.
 */
@Command(name = "figure1", mixinStandardHelpOptions = true,
        description = "Print the paper's Figure 1 lesson: three 2-D two-class layouts, P@1 = 1 on all, MAP@R tells them apart.")
public class Figure1Command implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the points (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--sketch", description = "draw each layout in characters (o: class 0, x: class 1)")
    boolean sketch;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RetrievalEvaluator evaluator = new RetrievalEvaluator(new ExactKnn(KnnDistance.EUCLIDEAN, 1),
                RetrievalEvaluator.standardMetrics(1));
        out.printf(Locale.ROOT, "%-8s  %-52s  %5s  %11s  %5s%n", "layout", "", "P@1", "R-Precision", "MAP@R");
        for (ToyLayouts.Layout layout : ToyLayouts.all(seed)) {
            RetrievalReport r = evaluator.evaluate(RetrievalTask.sameSet(layout.points(), layout.labels()));
            out.printf(Locale.ROOT, "%-8s  %-52s  %5.3f  %11.3f  %5.3f%n", layout.name(), layout.description(),
                    r.get("precision_at_1"), r.get("r_precision"), r.get("mean_average_precision_at_r"));
            if (sketch) {
                out.print(ToyLayouts.sketch(layout, 50, 8));
            }
        }
        out.println("Euclidean distance, " + ToyLayouts.PER_CLASS + " points per class, every point queries the others.");
        out.flush();
        return 0;
    }
}

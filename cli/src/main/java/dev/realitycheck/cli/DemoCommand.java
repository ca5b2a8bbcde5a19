package dev.realitycheck.cli;

import dev.realitycheck.data.FashionMnist;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.knn.Distance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.split.ClassSplit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck demo}: the main job on the built-in dataset. For now (before the trainer
 * exists) it evaluates the raw-pixel baseline on Fashion-MNIST's held-out classes, the row every
 * trained model must beat: every image of classes 5-9 (training and test files together) queries
 * all the others.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate the raw-pixel baseline on Fashion-MNIST's held-out classes (5-9, 35,000 images).",
                "Uses the Debian package dataset-fashion-mnist unless --data names an MNIST-format directory."})
public class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "directory with train-/t10k- images and labels (IDX, raw or .gz)")
    Path data;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LabeledImages images;
        try {
            images = data != null ? MnistDirectory.load(data, MnistSplit.ALL) : FashionMnist.loadDebianInstall(MnistSplit.ALL);
        } catch (IOException e) {
            spec.commandLine().getErr().println("realitycheck demo: " + e.getMessage());
            return InputException.EXIT_CODE;
        }
        ClassSplit split = ClassSplit.of(images.labels(), 2);
        int[] held = ClassSplit.select(images.labels(), split.testClasses());
        int pixels = images.pixelsPerImage();
        float[] values = new float[held.length * pixels];
        int[] labels = new int[held.length];
        for (int i = 0; i < held.length; i++) {
            images.copyImageScaled(held[i], values, i * pixels);
            labels[i] = images.label(held[i]);
        }
        out.printf(Locale.ROOT, "Fashion-MNIST (%s): %,d images, train/validation classes %s, held-out test classes %s%n",
                data != null ? data : FashionMnist.DEBIAN_DIRECTORY, images.count(),
                Arrays.toString(split.trainClasses()), Arrays.toString(split.testClasses()));
        out.printf(Locale.ROOT, "Raw-pixel baseline (L2-normalised pixels, cosine): every one of the %,d held-out images"
                + " queries the others%n", held.length);
        out.flush();
        RetrievalEvaluator evaluator = new RetrievalEvaluator(new ExactKnn(Distance.COSINE, threads),
                RetrievalEvaluator.standardMetrics(1, 2, 4, 8));
        RetrievalReport report = evaluator.evaluate(RetrievalTask.sameSet(
                new Embeddings(values, held.length, pixels), labels));
        out.print(ReportPrinter.table(report, Distance.COSINE, true));
        out.println("A trained embedding is only progress if its test MAP@R beats this row.");
        out.flush();
        return 0;
    }
}

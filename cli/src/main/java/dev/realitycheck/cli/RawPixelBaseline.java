package dev.realitycheck.cli;

import dev.realitycheck.data.FashionMnist;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.knn.KnnDistance;
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

/**
 * {@code demo --baseline-only}: the raw-pixel baseline on Fashion-MNIST's held-out classes, in
 * this process, without services: every image of classes 5-9 (training and test files together)
 * queries all the others. The row every trained model must beat.
 */
final class RawPixelBaseline {

    private RawPixelBaseline() {
    }

    /**
     * @param data an MNIST-layout directory, or null for the Debian package's Fashion-MNIST
     * @throws IOException when the data cannot be read
     */
    static void run(Path data, int threads, PrintWriter out) throws IOException {
        LabeledImages images = data != null ? MnistDirectory.load(data, MnistSplit.ALL) : FashionMnist.loadDebianInstall(MnistSplit.ALL);
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
        RetrievalEvaluator evaluator = new RetrievalEvaluator(new ExactKnn(KnnDistance.COSINE, threads),
                RetrievalEvaluator.standardMetrics(1, 2, 4, 8));
        RetrievalReport report = evaluator.evaluate(RetrievalTask.sameSet(
                new Embeddings(values, held.length, pixels), labels));
        out.print(ReportPrinter.table(report, KnnDistance.COSINE, true));
        out.println("A trained embedding is only progress if its test MAP@R beats this row.");
        out.flush();
    }
}

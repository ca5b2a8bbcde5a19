package dev.realitycheck.cli;

import dev.realitycheck.data.images.DecodedCache;
import dev.realitycheck.data.images.DecodedImage;
import dev.realitycheck.data.images.ImageDataset;
import dev.realitycheck.data.images.ImageDatasets;
import dev.realitycheck.data.images.ImageDecoder;
import dev.realitycheck.split.ClassSplit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck dataset inspect DIR}: detects the layout, prints classes, images, the paper's
 * class split with its fold sizes, the content fingerprint and the problems found; with
 * {@code --decode} decodes every image and lists the files that fail or were converted.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Report an image dataset: layout, classes, images, split and fold sizes, fingerprint, problems.",
                "Exit code 0 when nothing failed, 2 when the dataset cannot be read or an image fails to decode."})
public class DatasetInspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the dataset's directory")
    Path dir;

    @Option(names = "--folds", paramLabel = "K", description = "class-disjoint folds of the train half (default: ${DEFAULT-VALUE}, fewer if it has fewer classes)")
    int folds = 4;

    @Option(names = "--decode", description = "decode every image (all processors) and list failures and conversions")
    boolean decode;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        ImageDataset dataset;
        try {
            dataset = ImageDatasets.read(dir);
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("realitycheck dataset inspect: " + e.getMessage());
            return InputException.EXIT_CODE;
        }
        int[] labels = dataset.labels();
        int[] sizes = dataset.classSizes();
        long classesWithImages = IntStream.of(sizes).filter(s -> s > 0).count();
        o.printf(Locale.ROOT, "dataset: %s%n", dataset.root());
        o.printf(Locale.ROOT, "layout: %s%n", dataset.layout());
        o.printf(Locale.ROOT, "classes: %,d%n", classesWithImages);
        o.printf(Locale.ROOT, "images: %,d (%,d bytes)%n", dataset.size(),
                dataset.entries().stream().mapToLong(e -> e.bytes()).sum());
        if (classesWithImages >= 2) {
            int trainClasses = (int) classesWithImages / 2;
            int k = Math.max(1, Math.min(folds, trainClasses));
            ClassSplit split = dataset.split(k);
            o.printf(Locale.ROOT, "train/validation: %,d classes, %,d images (labels %d-%d)%n", split.trainClasses().length,
                    ClassSplit.select(labels, split.trainClasses()).length, split.trainClasses()[0],
                    split.trainClasses()[split.trainClasses().length - 1]);
            o.printf(Locale.ROOT, "test: %,d classes, %,d images (labels %d-%d)%n", split.testClasses().length,
                    ClassSplit.select(labels, split.testClasses()).length, split.testClasses()[0],
                    split.testClasses()[split.testClasses().length - 1]);
            for (int p = 0; p < k; p++) {
                int[] validation = split.validationClasses(p);
                int[] training = split.trainingClasses(p);
                o.printf(Locale.ROOT, "fold %d: train %,d classes, %,d images; validation %,d classes, %,d images%n", p,
                        training.length, ClassSplit.select(labels, training).length, validation.length,
                        ClassSplit.select(labels, validation).length);
            }
        } else {
            o.println("split: impossible, a class-disjoint split needs at least 2 classes with images");
        }
        o.printf(Locale.ROOT, "fingerprint: %s%n", dataset.fingerprint());
        Path cache = DecodedCache.defaultDir(dataset);
        if (DecodedCache.exists(cache)) {
            try {
                DecodedCache.open(cache, dataset.fingerprint());
                o.printf(Locale.ROOT, "decoded cache: %s (up to date)%n", cache);
            } catch (IOException e) {
                o.printf(Locale.ROOT, "decoded cache: unusable: %s%n", e.getMessage());
            }
        }
        List<String> problems = new ArrayList<>(dataset.problems());
        int failed = 0;
        if (decode) {
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            List<String> conversions = Collections.synchronizedList(new ArrayList<>());
            CountProgress progress = new CountProgress("decode", dataset.size());
            AtomicInteger done = new AtomicInteger();
            IntStream.range(0, dataset.size()).parallel().forEach(i -> {
                try {
                    DecodedImage image = ImageDecoder.decode(dataset.file(i));
                    if (image.converted()) {
                        conversions.add(dataset.entries().get(i).path() + ": " + image.conversion());
                    }
                } catch (IOException e) {
                    failures.add(e.getMessage());
                }
                progress.accept(done.incrementAndGet());
            });
            Collections.sort(failures);
            Collections.sort(conversions);
            failed = failures.size();
            o.printf(Locale.ROOT, "decoded: %,d ok, %,d failed, %,d converted to 8-bit RGB%n", dataset.size() - failed, failed,
                    conversions.size());
            failures.forEach(f -> o.println("  failed: " + f));
            conversions.forEach(c -> o.println("  converted: " + c));
        }
        o.printf(Locale.ROOT, "problems: %s%n", problems.isEmpty() ? "none" : problems.size());
        problems.forEach(p -> o.println("  " + p));
        o.flush();
        return failed == 0 ? 0 : InputException.EXIT_CODE;
    }
}

package dev.realitycheck.cli;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.data.Npy;
import dev.realitycheck.data.glyphs.GlyphCache;
import dev.realitycheck.data.glyphs.GlyphDataset;
import dev.realitycheck.data.glyphs.GlyphFiles;
import dev.realitycheck.data.glyphs.GlyphParams;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.MlpArchitecture;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.split.ClassSplit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck glyphs}: materialises the built-in glyph dataset ({@link GlyphDataset}) as an
 * MNIST-layout directory and, with {@code --baselines}, scores the paper's reference rows on its
 * held-out classes: raw pixels and an untrained MLP 784-256-128 (seed 0), the recipe of the
 * evaluation-service's {@code Baselines}.
 */
@Command(name = "glyphs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate the built-in many-class glyph dataset.",
                "Characters of several scripts drawn by the installed typefaces, written into the cache (or --out DIR)",
                "as MNIST-layout IDX files; prints its classes and path."})
public class GlyphsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "write here instead of the cache (~/.cache/realitycheck/glyphs/KEY)")
    Path out;

    @Option(names = "--fonts", paramLabel = "DIR", split = ",",
            description = "font directories (default: $REALITYCHECK_GLYPH_FONTS, else /usr/share/fonts)")
    List<Path> fonts;

    @Option(names = "--instances", paramLabel = "N", description = "minimum images per class (default: ${DEFAULT-VALUE})")
    int instances = GlyphParams.DEFAULT_INSTANCES;

    @Option(names = "--min-typefaces", paramLabel = "N", description = "drop characters fewer typefaces have (default: ${DEFAULT-VALUE})")
    int minTypefaces = GlyphParams.DEFAULT_MIN_TYPEFACES;

    @Option(names = "--seed", paramLabel = "N", description = "augmentation seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--baselines", description = "score raw pixels and an untrained MLP on the held-out test classes")
    boolean baselines;

    @Option(names = "--export-test-npy", paramLabel = "DIR",
            description = "also write the test classes' pixels (0..1, float32) and labels as test-x.npy, test-y.npy")
    Path exportNpy;

    @Option(names = "--threads", paramLabel = "N", description = "kNN threads (default: all processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        LabeledImages images;
        Path dir;
        long start = System.nanoTime();
        try {
            GlyphParams defaults = GlyphParams.defaults();
            GlyphParams params = new GlyphParams(fonts == null || fonts.isEmpty() ? defaults.fontDirectories() : fonts,
                    instances, minTypefaces, seed, defaults.excludedFamilies());
            if (out != null) {
                GlyphFiles.write(GlyphDataset.generate(params), out);
                dir = out;
            } else {
                dir = GlyphCache.materialise(params, GlyphCache.defaultRoot());
            }
            images = MnistDirectory.load(dir, MnistSplit.ALL);
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("realitycheck glyphs: " + e.getMessage());
            return InputException.EXIT_CODE;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ClassSplit split = ClassSplit.of(images.labels(), 4);
        long typefaces;
        try (Stream<String> lines = Files.lines(dir.resolve(GlyphFiles.TYPEFACES_FILE))) {
            typefaces = lines.count();
        } catch (IOException e) {
            typefaces = -1;
        }
        o.printf(Locale.ROOT, "glyphs: %s%n", dir.toAbsolutePath());
        o.printf(Locale.ROOT, "%,d images of 28 x 28, %d classes (%d train/validation, %d held-out test), %d typefaces, "
                        + "%.1f s (generated or read from the cache)%n", images.count(),
                split.trainClasses().length + split.testClasses().length, split.trainClasses().length,
                split.testClasses().length, typefaces, seconds);
        o.printf(Locale.ROOT, "classes: %s%n", dir.resolve(GlyphFiles.CLASSES_FILE));
        o.flush();
        int[] held = ClassSplit.select(images.labels(), split.testClasses());
        int pixels = images.pixelsPerImage();
        float[] values = new float[held.length * pixels];
        int[] labels = new int[held.length];
        for (int i = 0; i < held.length; i++) {
            images.copyImageScaled(held[i], values, i * pixels);
            labels[i] = images.label(held[i]);
        }
        try {
            if (exportNpy != null) {
                Files.createDirectories(exportNpy);
                Npy.writeFloatMatrix(exportNpy.resolve("test-x.npy"), held.length, pixels, values);
                Npy.writeLabels(exportNpy.resolve("test-y.npy"), labels);
                o.printf(Locale.ROOT, "wrote %s and %s (%,d held-out images)%n", exportNpy.resolve("test-x.npy"),
                        exportNpy.resolve("test-y.npy"), held.length);
            }
            if (baselines) {
                RetrievalEvaluator evaluator = new RetrievalEvaluator(new ExactKnn(KnnDistance.COSINE, threads),
                        RetrievalEvaluator.standardMetrics(1, 2, 4, 8));
                o.printf(Locale.ROOT, "%nRaw pixels (cosine), every one of the %,d held-out images queries the others:%n", held.length);
                o.print(ReportPrinter.table(evaluator.evaluate(RetrievalTask.sameSet(
                        new Embeddings(values, held.length, pixels), labels)), KnnDistance.COSINE, false));
                o.printf(Locale.ROOT, "%nUntrained MLP %d-256-128 (seed 0):%n", pixels);
                o.print(ReportPrinter.table(untrained(images, values, held.length, labels, evaluator), KnnDistance.COSINE, false));
                o.flush();
            }
        } catch (Exception e) {
            spec.commandLine().getErr().println("realitycheck glyphs: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static RetrievalReport untrained(LabeledImages images, float[] scaled, int count, int[] labels,
                                             RetrievalEvaluator evaluator) throws IOException {
        MlpArchitecture mlp = EmbeddingNetworks.mlp(InputSpec.image(images.height(), images.width(), 1,
                Preprocessing.pixels()), 128, List.of(256));
        Path tmp = Files.createTempDirectory("untrained-mlp-");
        try {
            Path model = tmp.resolve("model");
            EmbeddingNetworks.exportUntrained(mlp, 0, model);
            float[] raw = new float[scaled.length];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = scaled[i] * 255f; // the graph preprocesses itself; exactly what Baselines feeds
            }
            try (SavedModelEmbedder embedder = SavedModelEmbedder.load(model)) {
                return evaluator.evaluate(RetrievalTask.sameSet(
                        new Embeddings(embedder.embed(raw, count), count, embedder.embeddingSize()), labels));
            }
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

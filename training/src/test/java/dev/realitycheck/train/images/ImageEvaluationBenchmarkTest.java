package dev.realitycheck.train.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.model.CnnArchitecture;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.SavedModelEmbedder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedding a CUB-200-sized image test set from JPEG files: {@code n} (5,924, CUB's test half)
 * generated 500x375 JPEGs through {@link ImagePipeline} (TensorFlow decode, evaluation transform:
 * resize 256, centre crop 227; raw pixels, 2 workers, batches of 64) into the small CNN (16/32
 * channels, 227x227x3, ImageNet preprocessing in the graph, embedding 128, untrained) with
 * {@link SavedModelEmbedder}. Prints the generation time, the embedding time (images/s) and the
 * process's peak resident memory during the embedding (Linux VmHWM, reset before); the line also
 * goes to {@code training/target/image-evaluation-benchmark.md}, where {@code bin/bench-images}
 * appends torchvision's on the same files ({@code src/test/python/torchvision_evaluation_benchmark.py}).
 * The kNN and metrics that follow in the evaluation service are not part of it.
 *
 * <p>Not part of the suite (tag {@code benchmark}); run with
 * {@code bin/bench-images -Dtest=ImageEvaluationBenchmarkTest}. System property:
 * {@code realitycheck.bench.eval-images} (5924).
 */
@Tag("benchmark")
class ImageEvaluationBenchmarkTest {

    @TempDir
    Path tmp;

    @Test
    void embedCubSizedTestSet() throws Exception {
        int count = Integer.getInteger("realitycheck.bench.eval-images", 5924);
        long t0 = System.nanoTime();
        List<Path> files = ImagePipelineBenchmarkTest.generate(Path.of("target", "bench-eval-images").toAbsolutePath(),
                count, 20);
        long t1 = System.nanoTime();
        InputSpec spec = InputSpec.image(227, 227, 3, Preprocessing.imagenet());
        CnnArchitecture cnn = new CnnArchitecture(spec, 16, 32, 128);
        EmbeddingNetworks.exportUntrained(cnn, 1, tmp.resolve("cnn"));
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 100;
        }
        resetPeakMemory();
        long t2 = System.nanoTime();
        int embedded = 0;
        long model = 0;
        try (TensorFlowImageDecoder decoder = new TensorFlowImageDecoder();
             SavedModelEmbedder embedder = SavedModelEmbedder.load(tmp.resolve("cnn"), 64)) {
            ImageSource source = new ReaderImages(labels,
                    i -> decoder.decode(Files.readAllBytes(files.get(i)), files.get(i).toString()));
            try (ImagePipeline pipeline = new ImagePipeline(source, BatchPlan.sequential(count, 64),
                    EvaluationTransform.forInput(spec), Normalisation.rawPixels(spec), 0, 0, 2, 4)) {
                while (pipeline.hasNext()) {
                    ImageBatch batch = pipeline.next();
                    long m0 = System.nanoTime();
                    float[] e = embedder.embed(batch.values(), batch.count());
                    model += System.nanoTime() - m0;
                    assertThat(e).hasSize(batch.count() * 128);
                    embedded += batch.count();
                }
            }
        }
        long t3 = System.nanoTime();
        assertThat(embedded).isEqualTo(count);
        String line = String.format(Locale.ROOT, "this project: %d JPEGs 500x375 (generated in %.0f s) embedded "
                        + "(ImagePipeline 2 workers, batches of 64: TensorFlow decode, resize 256, centre crop 227; "
                        + "small CNN 227x227x3 -> 128, TensorFlow's default threads) in %.1f s = %.0f images/s "
                        + "(model calls %.1f s); peak resident memory %s; %d cores, load %.2f",
                count, (t1 - t0) / 1e9, (t3 - t2) / 1e9,
                count / ((t3 - t2) / 1e9), model / 1e9, peakMemory(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println(line);
        // bin/bench-images appends torchvision's line on the same files
        Files.write(Path.of("target", "image-evaluation-benchmark.md"), List.of(
                "# CUB-sized evaluation set, end to end (" + count + " JPEGs in " + files.getFirst().getParent().getParent()
                        + ")", "", "- " + line));
    }

    /** Linux: restart the peak-RSS counter; elsewhere the peak covers the whole JVM. */
    private static void resetPeakMemory() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux: the peak then covers the whole process
        }
    }

    private static String peakMemory() throws IOException {
        Path status = Path.of("/proc/self/status");
        return !Files.exists(status) ? "n/a" : Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .map(l -> String.format(Locale.ROOT, "%.0f MiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0))
                .findFirst().orElse("n/a");
    }
}

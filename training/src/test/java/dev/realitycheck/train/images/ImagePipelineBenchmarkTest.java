package dev.realitycheck.train.images;

import dev.realitycheck.data.images.Bilinear;
import dev.realitycheck.data.images.CropBox;
import dev.realitycheck.data.images.ResizeShorterSide;
import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * Image input throughput on {@code n} generated 500x375 JPEGs (seeded blobs and noise, written to
 * {@code training/target/bench-images/<class>/}, where {@code bin/bench-images} then points
 * torchvision): (1) decoding alone on one thread, the JDK's {@code ImageIO.read} against
 * TensorFlow's {@code DecodeJpeg} (and with the resize to shorter side 256: ours after ImageIO,
 * TensorFlow's {@code ResizeBilinear} after its decode); (2) the whole training input, decode +
 * {@link TrainingTransform} (resize 256, RandomResizedCrop 227, flip) + {@link Normalisation}
 * (ImageNet) into 227x227x3 float batches of 32, through {@link ImagePipeline} with 1 and 2
 * workers, from the files (each decoder) and from images decoded once at shorter side 256 and
 * kept in memory (the cache case); the same from files with the transforms as they were before they
 * resampled only the part they keep (whole resize to 256, then the crop: "before"), and the
 * evaluation transform before and after. Reported: images/s of wall time and images per CPU-second of
 * the process (the per-core figure, least distorted by a shared machine), the best of
 * {@code repetitions} passes after a warm-up pass. Table also in
 * {@code training/target/image-benchmark.md}.
 *
 * <p>Not part of the suite (tag {@code benchmark}); run with {@code bin/bench-images}. System
 * properties: {@code realitycheck.bench.images} (200), {@code realitycheck.bench.repetitions} (3).
 */
@Tag("benchmark")
class ImagePipelineBenchmarkTest {

    private static final int BATCH = 32;
    private static final int CLASSES = 10;

    private final int count = Integer.getInteger("realitycheck.bench.images", 200);
    private final int repetitions = Integer.getInteger("realitycheck.bench.repetitions", 3);
    private final List<String> lines = new ArrayList<>();

    @Test
    void measure() throws Exception {
        Path root = Path.of("target", "bench-images").toAbsolutePath();
        List<Path> files = generate(root, count, CLASSES);
        List<byte[]> encoded = new ArrayList<>();
        for (Path f : files) {
            encoded.add(Files.readAllBytes(f));
        }
        int[] labels = new int[files.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % CLASSES;
        }
        line("# Image input benchmark: %d JPEGs 500x375 (%.0f KiB mean) -> 227x227x3, %d cores, load %.2f",
                count, encoded.stream().mapToInt(b -> b.length).average().orElse(0) / 1024,
                Runtime.getRuntime().availableProcessors(), load());
        line("");
        line("| case | workers | images/s | images per CPU-second |");
        line("|---|---|---|---|");
        try (TensorFlowImageDecoder tf = new TensorFlowImageDecoder(); TfDecodeResize tfResize = new TfDecodeResize()) {
            time("decode: ImageIO.read", 1, () -> each(encoded, ImagePipelineBenchmarkTest::imageIo));
            time("decode: TensorFlow DecodeImage (JPEG)", 1, () -> each(encoded, b -> tf.decode(b, "bench")));
            ResizeShorterSide resize = new ResizeShorterSide(256);
            time("decode + resize 256: ImageIO + Bilinear (antialiased)", 1,
                    () -> each(encoded, b -> resize.apply(imageIo(b))));
            time("decode + resize 256: TensorFlow DecodeJpeg + ResizeBilinear", 1, () -> each(encoded, tfResize::run));

            InputSpec spec = InputSpec.image(227, 227, 3, Preprocessing.imagenet());
            TrainingTransform train = TrainingTransform.forInput(spec);
            Normalisation norm = Normalisation.of(spec);
            ImageSource imageIoFiles = new ReaderImages(labels, i -> imageIo(Files.readAllBytes(files.get(i))));
            ImageSource tfFiles = new ReaderImages(labels, i -> tf.decode(Files.readAllBytes(files.get(i)), files.get(i).toString()));
            List<RgbImage> cache = new ArrayList<>();
            for (byte[] b : encoded) {
                cache.add(resize.apply(tf.decode(b, "bench")));
            }
            ImageSource cached = new ReaderImages(labels, cache::get);
            ImageTransform wholeTrain = new WholeResize(train.resize(), train.crop(), null);
            EvaluationTransform eval = EvaluationTransform.forInput(spec);
            ImageTransform wholeEval = new WholeResize(eval.resize(), null, eval);
            for (int i = 0; i < Math.min(20, encoded.size()); i++) {
                RgbImage decoded = tf.decode(encoded.get(i), "bench");
                assertThat(train.apply(decoded, new SplittableRandom(i)).rgb()).as("training transform, image %d", i)
                        .isEqualTo(wholeTrain.apply(decoded, new SplittableRandom(i)).rgb());
                assertThat(eval.apply(decoded, null).rgb()).isEqualTo(wholeEval.apply(decoded, null).rgb());
            }
            for (int workers : new int[] {1, 2}) {
                time("pipeline from files, ImageIO decode", workers, () -> pipeline(imageIoFiles, train, norm, workers));
                time("pipeline from files, TensorFlow decode, whole resize 256 (before)", workers,
                        () -> pipeline(tfFiles, wholeTrain, norm, workers));
                time("pipeline from files, TensorFlow decode", workers, () -> pipeline(tfFiles, train, norm, workers));
                time("pipeline from decoded cache (shorter side 256)", workers, () -> pipeline(cached, train, norm, workers));
            }
            time("evaluation transform from files, TensorFlow decode, whole resize 256 (before)", 1,
                    () -> pipeline(tfFiles, wholeEval, norm, 1));
            time("evaluation transform from files, TensorFlow decode", 1, () -> pipeline(tfFiles, eval, norm, 1));
        }
        Path table = Path.of("target", "image-benchmark.md");
        Files.write(table, lines);
        System.out.println("table written to " + table.toAbsolutePath());
    }

    /**
     * Writes {@code count} seeded 500x375 JPEGs of coloured blobs over noise, in {@code classes} class
     * folders.
     */
    static List<Path> generate(Path root, int count, int classes) throws IOException {
        SplittableRandom random = new SplittableRandom(2026);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(500, 375, BufferedImage.TYPE_3BYTE_BGR);
            byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            random.nextBytes(pixels);
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = (byte) (64 + (pixels[p] & 0x3F)); // low-amplitude noise, as texture
            }
            Graphics2D g = image.createGraphics();
            for (int k = 0; k < 12; k++) {
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                g.fillOval(random.nextInt(500) - 60, random.nextInt(375) - 60, 40 + random.nextInt(200), 40 + random.nextInt(200));
            }
            g.dispose();
            Path dir = root.resolve(String.format(Locale.ROOT, "class%02d", i % classes));
            Files.createDirectories(dir);
            Path file = dir.resolve(String.format(Locale.ROOT, "img%04d.jpg", i));
            assertThat(ImageIO.write(image, "jpg", file.toFile())).isTrue();
            files.add(file);
        }
        return files;
    }

    /** JDK decoding, BGR raster to RGB (what an ImageIO-backed file source does). */
    static RgbImage imageIo(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            bgr.getGraphics().drawImage(image, 0, 0, null);
            image = bgr;
        }
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new RgbImage(image.getWidth(), image.getHeight(), rgb);
    }

    private int pipeline(ImageSource source, ImageTransform transform, Normalisation norm, int workers) throws Exception {
        int images = 0;
        try (ImagePipeline p = new ImagePipeline(source, BatchPlan.sequential(source.size(), BATCH), transform, norm,
                1, 0, workers, 2 * workers)) {
            while (p.hasNext()) {
                images += p.next().count();
            }
        }
        return images;
    }

    private interface Work {
        int run() throws Exception;
    }

    private interface Decode {
        Object apply(byte[] bytes) throws IOException;
    }

    private static int each(List<byte[]> encoded, Decode decode) throws IOException {
        for (byte[] b : encoded) {
            assertThat(decode.apply(b)).isNotNull();
        }
        return encoded.size();
    }

    /** Warm-up pass, then the best of {@code repetitions}: images per wall second and per process CPU-second. */
    private void time(String name, int workers, Work work) throws Exception {
        work.run();
        double bestWall = 0;
        double bestCpu = 0;
        for (int r = 0; r < repetitions; r++) {
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            int images = work.run();
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - cpu0) / 1e9;
            bestWall = Math.max(bestWall, images / wall);
            bestCpu = Math.max(bestCpu, images / cpu);
        }
        line("| %s | %d | %.0f | %.0f |", name, workers, bestWall, bestCpu);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        lines.add(s);
    }

    /**
     * The transforms as they were before only the kept part was resampled: the whole image resized
     * to shorter side 256, then the random or centre crop of it (the same pixels, more work).
     */
    private record WholeResize(ResizeShorterSide resize, RandomResizedCrop crop, EvaluationTransform eval)
            implements ImageTransform {

        @Override
        public RgbImage apply(RgbImage image, SplittableRandom random) {
            RgbImage resized = resize.apply(image);
            if (crop == null) {
                CropBox box = CropBox.centre(resized.width(), resized.height(), eval.width(), eval.height());
                return Bilinear.resize(resized, box, eval.width(), eval.height());
            }
            RgbImage out = crop.apply(resized, random);
            return random.nextBoolean() ? HorizontalFlip.apply(out) : out;
        }

        @Override
        public int width() {
            return crop == null ? eval.width() : crop.width();
        }

        @Override
        public int height() {
            return crop == null ? eval.height() : crop.height();
        }
    }

    /** TensorFlow's DecodeJpeg then ResizeBilinear (half-pixel centres, no antialias) to shorter side 256, in the caller's thread. */
    private static final class TfDecodeResize implements AutoCloseable {
        private final Graph graph = new Graph();
        private final Session session;
        private final Placeholder<TString> contents;
        private final Placeholder<TInt32> size;
        private final ResizeBilinear resized;

        TfDecodeResize() {
            Ops tf = Ops.create(graph);
            contents = tf.placeholder(TString.class);
            size = tf.placeholder(TInt32.class);
            DecodeJpeg decoded = tf.image.decodeJpeg(contents, DecodeJpeg.channels(3L));
            resized = tf.image.resizeBilinear(tf.expandDims(decoded, tf.constant(0)), size,
                    ResizeBilinear.halfPixelCenters(true));
            session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(1)
                    .setInterOpParallelismThreads(-1).build());
        }

        Object run(byte[] bytes) {
            // every bench JPEG is 500x375: shorter side 256 gives 341x256
            try (TString in = TString.tensorOfBytes(NdArrays.scalarOfObject(bytes));
                 TInt32 hw = TInt32.vectorOf(256, 341);
                 Result r = session.runner().feed(contents, in).feed(size, hw).fetch(resized).run()) {
                TFloat32 out = (TFloat32) r.get(0);
                return out.shape();
            } catch (RuntimeException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }

        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }
}

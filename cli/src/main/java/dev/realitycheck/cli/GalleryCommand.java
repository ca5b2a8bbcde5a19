package dev.realitycheck.cli;

import dev.realitycheck.data.FashionMnist;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.proto.v1.AddToGalleryRequest;
import dev.realitycheck.proto.v1.AddToGalleryResponse;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.DatasetSplitSource;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.Split;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck gallery --dataset NAME}: fills a gallery of the embedding service with every
 * image of a dataset's test classes (or a fold's validation classes), loaded and embedded on the
 * server (AddToGallery with a {@code DatasetSplitSource}, replacing what the gallery held), so that
 * {@code search} has something to find. {@code --examples DIR} also writes the first test-file
 * image of each class of a local copy of the dataset as {@code DIR/<class>.png}: queries for
 * {@code embed} and {@code search}.
 */
@Command(name = "gallery", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fill a gallery of the embedding service with a dataset's test (or validation) classes, for search.",
                "With --examples DIR it also writes one PNG per class to try embed and search with."})
public class GalleryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "the embedding service (plaintext gRPC; default: the local stack's, else localhost:8082)")
    String server;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "the dataset the services know, e.g. fashion-mnist")
    String dataset;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "test (the held-out classes) or validation (a fold's) (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--fold", paramLabel = "N", defaultValue = "0", description = "the fold of --split validation (default: ${DEFAULT-VALUE})")
    int fold;

    @Option(names = "--gallery", paramLabel = "NAME", defaultValue = "default", description = "gallery name (default: ${DEFAULT-VALUE})")
    String gallery;

    @Option(names = "--examples", paramLabel = "DIR", description = "also write the first image of each class as DIR/<class>.png")
    Path examples;

    @Option(names = "--data", paramLabel = "DIR",
            description = "the local IDX files --examples reads (default: Debian's Fashion-MNIST, /usr/share/datasets/fashion-mnist)")
    Path data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Split which = switch (split.toLowerCase(Locale.ROOT)) {
                case "test" -> Split.SPLIT_TEST;
                case "validation" -> Split.SPLIT_VALIDATION;
                default -> throw new InputException("--split must be test or validation, got '" + split + "'");
            };
            if (examples != null) {
                writeExamples(data != null ? data : FashionMnist.DEBIAN_DIRECTORY, examples, out);
            }
            ManagedChannel channel = EmbeddingClient.channel(server());
            try {
                AddToGalleryResponse added = EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.MINUTES)
                        .addToGallery(AddToGalleryRequest.newBuilder().setGallery(gallery).setReplace(true)
                                .setDatasetSplit(DatasetSplitSource.newBuilder().setDataset(DatasetSpec.newBuilder().setName(dataset))
                                        .setSplit(which).setFold(fold))
                                .build());
                out.printf(Locale.ROOT, "gallery %s: %d items (%s classes of %s), embedded by checkpoint %s%n", added.getGallery(),
                        added.getGallerySize(), split, dataset, added.getCheckpointId());
                out.flush();
                return 0;
            } finally {
                channel.shutdownNow();
            }
        } catch (InputException e) {
            err.println("realitycheck gallery: " + e.getMessage());
            return InputException.EXIT_CODE;
        } catch (StatusRuntimeException e) {
            err.println("realitycheck gallery: " + EmbeddingClient.describe(e, server()));
            return 1;
        }
    }

    /** The first image of each class in the test file of {@code dataDir}, as 8-bit grey PNGs. */
    static void writeExamples(Path dataDir, Path dir, PrintWriter out) {
        LabeledImages images;
        try {
            images = MnistDirectory.load(dataDir, MnistSplit.TEST);
        } catch (IOException e) {
            throw new InputException("--examples needs the dataset's IDX files in " + dataDir + " (--data DIR): " + e.getMessage());
        }
        TreeMap<Integer, Integer> firstOfClass = new TreeMap<>();
        for (int i = 0; i < images.count(); i++) {
            firstOfClass.putIfAbsent(images.label(i), i);
        }
        try {
            Files.createDirectories(dir);
            for (var e : firstOfClass.entrySet()) {
                BufferedImage png = new BufferedImage(images.width(), images.height(), BufferedImage.TYPE_BYTE_GRAY);
                for (int r = 0; r < images.height(); r++) {
                    for (int c = 0; c < images.width(); c++) {
                        int v = images.pixel(e.getValue(), r, c);
                        png.getRaster().setSample(c, r, 0, v);
                    }
                }
                ImageIO.write(png, "png", dir.resolve(e.getKey() + ".png").toFile());
            }
        } catch (IOException e) {
            throw new InputException("cannot write the examples into " + dir + ": " + e.getMessage());
        }
        out.printf(Locale.ROOT, "wrote %d examples, one per class: %s/<class>.png%n", firstOfClass.size(), dir);
    }

    /** {@code --server}, else the local stack's embedding service ({@link StackAddresses}). */
    private String server() {
        if (server == null) {
            server = StackAddresses.current().embedding();
        }
        return server;
    }
}

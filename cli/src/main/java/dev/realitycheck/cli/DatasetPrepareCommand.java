package dev.realitycheck.cli;

import dev.realitycheck.data.images.DecodedCache;
import dev.realitycheck.data.images.ImageDataset;
import dev.realitycheck.data.images.ImageDatasets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck dataset prepare DIR [--out CACHE]}: writes the dataset's decoded cache
 * ({@link DecodedCache}: shorter side 256, bilinear, 8-bit RGB, memory-mapped on read), which the
 * readers then use instead of decoding the files.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode every image once into a cache (shorter side " + DecodedCache.SIDE + ", bilinear, 8-bit RGB).",
                "Training and evaluation read the cache instead of the files while the dataset's fingerprint matches."})
public class DatasetPrepareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the dataset's directory")
    Path dir;

    @Option(names = "--out", paramLabel = "CACHE", description = "cache directory (default: DIR/" + DecodedCache.DEFAULT_DIR + ")")
    Path out;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        long start = System.nanoTime();
        try {
            ImageDataset dataset = ImageDatasets.read(dir);
            Path cache = out != null ? out.toAbsolutePath() : DecodedCache.defaultDir(dataset);
            DecodedCache.write(dataset, cache, new CountProgress("prepare", dataset.size()));
            double seconds = (System.nanoTime() - start) / 1e9;
            o.printf(Locale.ROOT, "decoded cache: %s%n", cache);
            o.printf(Locale.ROOT, "%,d images of %s, fingerprint %s, %.1f s (%.0f images/s)%n", dataset.size(), dataset.layout(),
                    dataset.fingerprint(), seconds, dataset.size() / Math.max(seconds, 1e-9));
            o.flush();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("realitycheck dataset prepare: " + e.getMessage());
            return InputException.EXIT_CODE;
        }
    }
}

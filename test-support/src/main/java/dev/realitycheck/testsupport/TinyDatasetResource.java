package dev.realitycheck.testsupport;

import dev.realitycheck.data.TinyDataset;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile.TestResourceEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the tiny IDX dataset ({@link TinyDataset}: 10 classes of 14 images, seed 3) into a
 * temporary directory before Quarkus boots, and points a service's dataset names and work
 * directory at it: {@code <prefix>.datasets."<name>"} for each name, and {@code <prefix>.work-dir}
 * = {@code <dir>/work}. Configured by the arguments {@link #entry} puts in its
 * {@link TestResourceEntry}. Needs the {@code datasets} module's test jar on the test classpath. The
 * directory (a few KB) is left to the system's temporary-file cleanup.
 */
public final class TinyDatasetResource implements QuarkusTestResourceLifecycleManager {

  /** Classes of the dataset. */
  public static final int CLASSES = 10;
  /** Images per class. */
  public static final int PER_CLASS = 14;
  /** Seed of the images' patterns and noise. */
  public static final long SEED = 3;

  private static final String PREFIX = "config-prefix";
  private static final String SIDE = "side";
  private static final String NAMES = "datasets";

  private String prefix;
  private int side;
  private List<String> names;
  private Path dir;

  /** Built by Quarkus. */
  public TinyDatasetResource() {
  }

  /**
   * The test resource entry for a profile's {@code testResources()}.
   *
   * @param configPrefix the service's configuration prefix, e.g. {@code realitycheck.trainer}
   * @param side the images' side in pixels
   * @param datasetNames the dataset names that resolve to the tiny dataset
   * @return the entry
   */
  public static TestResourceEntry entry(String configPrefix, int side, String... datasetNames) {
    return new TestResourceEntry(TinyDatasetResource.class,
        Map.of(PREFIX, configPrefix, SIDE, Integer.toString(side), NAMES, String.join(",", datasetNames)));
  }

  @Override
  public void init(Map<String, String> initArgs) {
    prefix = required(initArgs, PREFIX);
    side = Integer.parseInt(required(initArgs, SIDE));
    names = List.of(required(initArgs, NAMES).split(","));
  }

  /**
   * Writes the dataset.
   *
   * @return the configuration naming it
   */
  @Override
  public Map<String, String> start() {
    try {
      dir = TinyDataset.write(Files.createTempDirectory("tiny-dataset"), CLASSES, PER_CLASS, side, SEED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> config = new LinkedHashMap<>();
    for (String name : names) {
      config.put(prefix + ".datasets.\"" + name + "\"", dir.toString());
    }
    config.put(prefix + ".work-dir", dir.resolve("work").toString());
    return config;
  }

  @Override
  public void stop() {
    // a few KB in the temporary directory
  }

  private static String required(Map<String, String> args, String key) {
    String value = args.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("TinyDatasetResource needs the argument " + key
          + ": add it to a profile with TinyDatasetResource.entry(...)");
    }
    return value;
  }
}
